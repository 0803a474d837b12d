sec={security} a={attachment} t={to_all} src={source} cc={client_cert} ck={client_key};
case "$sec" in implicit) set -- --implicit-tls ;; none) set -- --no-tls ;; *) set -- --starttls ;; esac;
if [ -n "$a" ]; then set -- "$@" --attach "$a"; fi;
if [ -n "$src" ]; then set -- "$@" --source "$src"; fi;
if [ -n "$cc" ]; then set -- "$@" --cert "$cc" --key "$ck"; fi;
IFS=,; for r in $t; do set -- "$@" --to "$r"; done; unset IFS;
of={oauth_flow} tk={token} cs={client_secret};
if [ -n "$of" ] && [ -z "$tk" ]; then set -- "$@" --oauth "$of" --authority {authority} --client-id {client_id} --token-cache {token_cache} --identity-address {identity_address};
  if [ "$of" = client-credentials ]; then if [ -n "$cs" ]; then set -- "$@" --client-secret "$cs"; else set -- "$@" --client-cert {app_cert} --client-key {app_key}; fi; fi;
  ca={ca} ia={identity_address};
  if [ "$of" = auth-code ]; then set -- "$@" --auth-code-browser "curl -sS -o /dev/null -L --max-redirs 5 --max-time 30 --cacert $ca --connect-to login.microsoftonline.com:443:$ia"; fi;
else set -- "$@" --password {password} --token "$tk"; fi;
exec {exosim_client} --server {host}:{port} "$@" --ca {ca} --servername {servername} --auth {auth} --user {user} --from {from} --subject {subject} --body {body} --retries 2 --retry-delay-ms 100 --timeout 5
