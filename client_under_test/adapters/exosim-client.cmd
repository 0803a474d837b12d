sec={security} a={attachment} t={to_all} src={source} cc={client_cert} ck={client_key};
case "$sec" in implicit) set -- --implicit-tls ;; none) set -- --no-tls ;; *) set -- --starttls ;; esac;
if [ -n "$a" ]; then set -- "$@" --attach "$a"; fi;
if [ -n "$src" ]; then set -- "$@" --source "$src"; fi;
if [ -n "$cc" ]; then set -- "$@" --cert "$cc" --key "$ck"; fi;
IFS=,; for r in $t; do set -- "$@" --to "$r"; done; unset IFS;
exec {exosim_client} --server {host}:{port} "$@" --ca {ca} --servername {servername} --auth {auth} --user {user} --password {password} --token {token} --from {from} --subject {subject} --body {body} --retries 2 --retry-delay-ms 100 --timeout 5
