h={host} p={port} sec={security} u={user} ca={ca} sn={servername} f={from} t={to_all} s={subject} b={body} sc={scenario};
export OAUTH_AUTHORITY={authority} OAUTH_CLIENT_ID={client_id} OAUTH_CLIENT_SECRET={client_secret} OAUTH_SCOPE={scope} OAUTH_IDENTITY_ADDRESS={identity_address} OAUTH_CA={ca_file};
st=$EXOSIM_OAUTH_STATE; [ -n "$st" ] || st=$TMPDIR; [ -n "$st" ] || st=/tmp;
export OAUTH_CACHE="$st/exosim-oauth-msmtp-$sc.json";
set -- --host="$h" --port="$p" --from="$f" --domain=adapter.exosim.invalid --timeout=8 --set-date-header=auto --auth=xoauth2 --user="$u" --passwordeval="/usr/bin/python3 $PWD/client_under_test/adapters/oauth_token_helper.py";
case "$sec" in implicit) set -- "$@" --tls=on --tls-starttls=off ;; *) set -- "$@" --tls=on --tls-starttls=on ;; esac;
set -- "$@" --tls-certcheck=on --tls-host-override="$sn"; if [ -n "$ca" ]; then set -- "$@" --tls-trust-file="$ca"; else set -- "$@" --tls-trust-file=system; fi;
printf 'From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@msmtp-oauth.adapter.exosim.invalid>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n' "$f" "$t" "$s" "$sc" "$b" | msmtp "$@" -- $(printf '%s' "$t" | tr , ' ')
