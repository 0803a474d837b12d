sec={security} t={to_all} cs={client_secret} ac={app_cert} ak={app_key} ia={identity_address} sco={scope} sc={scenario} u={user} of={oauth_flow} ca={ca};
st=$EXOSIM_OAUTH_STATE; [ -n "$st" ] || st=$TMPDIR; [ -n "$st" ] || st=/tmp;
case "$sec" in implicit) set -- --implicit-tls ;; none) set -- --no-tls ;; *) set -- --starttls ;; esac;
if [ -n "$cs" ]; then set -- "$@" --oauth client-credentials --client-secret "$cs"; elif [ -n "$ac" ]; then set -- "$@" --oauth client-credentials --client-cert "$ac" --client-key "$ak"; elif [ "$of" = auth-code ]; then set -- "$@" --oauth auth-code --auth-code-browser "curl -sS -o /dev/null -L --max-redirs 5 --max-time 30 --cacert $ca --connect-to login.microsoftonline.com:443:$ia"; else set -- "$@" --oauth device-code; fi;
if [ -n "$ia" ]; then set -- "$@" --identity-address "$ia"; fi;
if [ -n "$sco" ]; then set -- "$@" --scope "$sco"; fi;
if [ -n "$u" ]; then set -- "$@" --user "$u"; fi;
IFS=,; for r in $t; do set -- "$@" --to "$r"; done; unset IFS;
exec {exosim_client} --server {host}:{port} "$@" --ca {ca} --servername {servername} --authority {authority} --client-id {client_id} --token-cache "$st/exosim-oauth-exosim-client-$sc.json" --from {from} --subject {subject} --body {body} --retries 2 --retry-delay-ms 100 --timeout 10
