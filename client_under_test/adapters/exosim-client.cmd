sec={security} a={attachment} t={to_all};
case "$sec" in implicit) set -- --implicit-tls ;; none) set -- --no-tls ;; *) set -- --starttls ;; esac;
if [ -n "$a" ]; then set -- "$@" --attach "$a"; fi;
IFS=,; for r in $t; do set -- "$@" --to "$r"; done; unset IFS;
exec {exosim_client} --server {host}:{port} "$@" --ca {ca} --servername {servername} --auth {auth} --user {user} --password {password} --token {token} --from {from} --subject {subject} --body {body} --retries 2 --retry-delay-ms 100 --timeout 5
