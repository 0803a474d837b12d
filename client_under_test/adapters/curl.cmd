h={host} p={port} sec={security} au={auth} u={user} pw={password} tok={token} ca={ca} sn={servername} f={from} t={to_all} s={subject} b={body} a={attachment} sc={scenario} src={source} cc={client_cert} ck={client_key};
msg=$(mktemp); trap 'rm -f "$msg"' EXIT;
set -- --silent --show-error --max-time 15 --connect-timeout 12 --resolve "$sn:$p:$h" --mail-from "$f";
case "$sec" in starttls) set -- "$@" --url "smtp://$sn:$p" --ssl-reqd ;; implicit) set -- "$@" --url "smtps://$sn:$p" ;; *) set -- "$@" --url "smtp://$sn:$p" ;; esac;
if [ -n "$ca" ]; then set -- "$@" --cacert "$ca"; fi;
case "$au" in login) set -- "$@" --user "$u:$pw" --login-options AUTH=LOGIN ;;
  plain) set -- "$@" --user "$u:$pw" --login-options AUTH=PLAIN ;;
  xoauth2) set -- "$@" --user "$u:" --oauth2-bearer "$tok" ;; esac;
if [ -n "$src" ]; then set -- "$@" --interface "$src"; fi;
if [ -n "$cc" ]; then set -- "$@" --cert "$cc" --key "$ck"; fi;
IFS=,; for r in $t; do set -- "$@" --mail-rcpt "$r"; done; unset IFS;
d=$(LC_ALL=C date -R); mid="<$sc@curl.adapter.exosim.invalid>";
if [ -n "$a" ]; then printf "%s\r\n" "$b" > "$msg";
  exec curl "$@" -H "From: $f" -H "To: $t" -H "Subject: $s" -H "Date: $d" -H "Message-ID: $mid" -F "=<$msg;type=text/plain" -F "attachment=@$a;type=application/pdf;encoder=base64"; fi;
printf 'From: %s\nTo: %s\nSubject: %s\nDate: %s\nMessage-ID: %s\n\n%s\n' "$f" "$t" "$s" "$d" "$mid" "$b" > "$msg";
exec curl "$@" --crlf -T "$msg"
