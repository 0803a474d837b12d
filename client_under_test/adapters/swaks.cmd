h={host} p={port} sec={security} au={auth} u={user} pw={password} tok={token} f={from} t={to_all} s={subject} b={body} a={attachment} sc={scenario} src={source} cc={client_cert} ck={client_key};
set -- --server "$h:$p" --from "$f" --to "$t" --header "Subject: $s" --header "Message-Id: <$sc@swaks.adapter.exosim.invalid>" --body "$b" --timeout 8;
case "$sec" in starttls) set -- "$@" --tls ;; implicit) set -- "$@" --tls-on-connect ;; esac;
case "$au" in login) set -- "$@" --auth LOGIN --auth-user "$u" --auth-password "$pw" ;;
  plain) set -- "$@" --auth PLAIN --auth-user "$u" --auth-password "$pw" ;;
  xoauth2) set -- "$@" --auth XOAUTH2 --auth-user "$u" --auth-password "$tok" ;; esac;
if [ -n "$a" ]; then set -- "$@" --attach-type application/pdf --attach "@$a"; fi;
if [ -n "$src" ]; then set -- "$@" --local-interface "$src"; fi;
if [ -n "$cc" ]; then set -- "$@" --tls-cert "$cc" --tls-key "$ck"; fi;
exec swaks "$@"
