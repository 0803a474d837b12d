h={host} p={port} sec={security} u={user} ca={ca} sn={servername} f={from} t={to_all} s={subject} b={body} sc={scenario};
export OAUTH_AUTHORITY={authority} OAUTH_CLIENT_ID={client_id} OAUTH_CLIENT_SECRET={client_secret} OAUTH_SCOPE={scope} OAUTH_IDENTITY_ADDRESS={identity_address} OAUTH_CA={ca_file};
st=$EXOSIM_OAUTH_STATE; [ -n "$st" ] || st=$TMPDIR; [ -n "$st" ] || st=/tmp;
export OAUTH_CACHE="$st/exosim-oauth-curl-$sc.json";
tok=$(/usr/bin/python3 client_under_test/adapters/oauth_token_helper.py) || exit $?;
msg=$(mktemp); trap 'rm -f "$msg"' EXIT;
printf 'From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@curl-oauth.adapter.exosim.invalid>\r\n\r\n%s\r\n' "$f" "$t" "$s" "$(LC_ALL=C date -R)" "$sc" "$b" > "$msg";
set -- --silent --show-error --max-time 15 --connect-timeout 12 --resolve "$sn:$p:$h" --mail-from "$f" --user "$u:" --oauth2-bearer "$tok" -T "$msg";
case "$sec" in implicit) set -- "$@" --url "smtps://$sn:$p" ;; *) set -- "$@" --url "smtp://$sn:$p" --ssl-reqd ;; esac;
if [ -n "$ca" ]; then set -- "$@" --cacert "$ca"; fi;
IFS=,; for r in $t; do set -- "$@" --mail-rcpt "$r"; done; unset IFS;
curl "$@"
