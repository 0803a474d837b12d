h={host} p={port} sec={security} au={auth} u={user} pw={password} tok={token} f={from} t={to_all} s={subject} b={body} a={attachment} sc={scenario};
set -- --server "$h:$p" --from "$f" --to "$t" --header "Subject: $s" --header "Message-Id: <$sc@swaks.adapter.exosim.invalid>" --body "$b" --timeout 8;
case "$sec" in starttls) set -- "$@" --tls ;; implicit) set -- "$@" --tls-on-connect ;; esac;
case "$au" in login) set -- "$@" --auth LOGIN --auth-user "$u" --auth-password "$pw" ;;
  plain) set -- "$@" --auth PLAIN --auth-user "$u" --auth-password "$pw" ;;
  xoauth2) set -- "$@" --auth XOAUTH2 --auth-user "$u" --auth-password "$tok" ;; esac;
if [ -n "$a" ]; then set -- "$@" --attach-type application/pdf --attach "@$a"; fi;
exec swaks "$@"
