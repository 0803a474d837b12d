h={host} p={port} sec={security} au={auth} u={user} pw={password} tok={token} ca={ca} sn={servername} f={from} t={to_all} s={subject} b={body} a={attachment} sc={scenario} src={source} cc={client_cert} ck={client_key};
set -- --host="$h" --port="$p" --from="$f" --domain=adapter.exosim.invalid --timeout=8 --set-date-header=auto;
case "$sec" in starttls) set -- "$@" --tls=on --tls-starttls=on ;; implicit) set -- "$@" --tls=on --tls-starttls=off ;; *) set -- "$@" --tls=off ;; esac;
if [ "$sec" != none ]; then set -- "$@" --tls-certcheck=on --tls-host-override="$sn"; if [ -n "$ca" ]; then set -- "$@" --tls-trust-file="$ca"; else set -- "$@" --tls-trust-file=system; fi; fi;
if [ -n "$src" ]; then set -- "$@" --source-ip="$src"; fi;
if [ -n "$cc" ]; then set -- "$@" --tls-cert-file="$cc" --tls-key-file="$ck"; fi;
export EXOSIM_ADAPTER_SECRET="$pw"; [ "$au" = xoauth2 ] && export EXOSIM_ADAPTER_SECRET="$tok";
case "$au" in none) set -- "$@" --auth=off ;; *) set -- "$@" --auth="$au" --user="$u" --passwordeval='printf %s "$EXOSIM_ADAPTER_SECRET"' ;; esac;
mid="<$sc@msmtp.adapter.exosim.invalid>"; bd="exosim-$$-boundary";
( printf 'From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n' "$f" "$t" "$s" "$mid";
  if [ -n "$a" ]; then printf 'Content-Type: multipart/mixed; boundary="%s"\r\n\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n--%s\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="%s"\r\n\r\n' "$bd" "$bd" "$b" "$bd" "$(basename "$a")"; base64 "$a" | sed 's/$/\r/'; printf -- '--%s--\r\n' "$bd";
  else printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n' "$b"; fi ) | msmtp "$@" -- $(printf '%s' "$t" | tr , ' ')
