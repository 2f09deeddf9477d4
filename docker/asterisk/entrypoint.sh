#!/bin/sh
# Starts Asterisk in the Hotline compose stack (docker/docker-compose.yml mounts this file and runs it as
# the container's entrypoint, as root; Asterisk itself then drops to the `asterisk` user).
#
# Secrets never sit in the repository. Before Asterisk starts this script writes, into the secrets volume
# (/etc/asterisk/secrets):
#   manager_hotline.conf  the AMI secret of the `hotline` user, from HOTLINE_AMI_SECRET (at every start);
#   pjsip_auth.conf       one random password per `auth = NAME` in pjsip.conf, made once and kept;
#   voicemail_hotline.conf  one voicemail box with a random PIN per name in HOTLINE_VOICEMAIL_BOXES, made once.
set -eu

secrets=/etc/asterisk/secrets
mkdir -p "$secrets"

case "${HOTLINE_AMI_SECRET:-}" in
    "")
        echo "asterisk: HOTLINE_AMI_SECRET is not set (put it in docker/.env)" >&2
        exit 1 ;;
    *[!A-Za-z0-9._~+=-]*)
        # manager.conf would read ';' as a comment and a newline as the end of the value.
        echo "asterisk: HOTLINE_AMI_SECRET may hold only letters, digits and . _ ~ + = -" >&2
        exit 1 ;;
esac

umask 027
printf '; written by entrypoint.sh from HOTLINE_AMI_SECRET at each start\nsecret = %s\n' \
    "$HOTLINE_AMI_SECRET" > "$secrets/manager_hotline.conf"

touch "$secrets/pjsip_auth.conf"
for auth in $(sed -n 's/^[[:space:]]*auth[[:space:]]*=[[:space:]]*\([A-Za-z0-9_-]*\).*/\1/p' \
        /etc/asterisk/pjsip.conf | sort -u); do
    grep -q "^\[$auth\]" "$secrets/pjsip_auth.conf" && continue
    password=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 24)
    printf '[%s]\ntype = auth\nauth_type = userpass\nusername = %s\npassword = %s\n\n' \
        "$auth" "${auth%-auth}" "$password" >> "$secrets/pjsip_auth.conf"
    echo "asterisk: made a password for $auth (in $secrets/pjsip_auth.conf)"
done

touch "$secrets/voicemail_hotline.conf"
for box in ${HOTLINE_VOICEMAIL_BOXES:-100 sales support operator}; do
    grep -q "^$box =>" "$secrets/voicemail_hotline.conf" && continue
    pin=$(tr -dc '0-9' </dev/urandom | head -c 6)
    printf '%s => %s,%s\n' "$box" "$pin" "Hotline $box" >> "$secrets/voicemail_hotline.conf"
    echo "asterisk: made voicemail box $box@hotline (PIN in $secrets/voicemail_hotline.conf)"
done

chown -R asterisk:asterisk "$secrets"
chmod 750 "$secrets"

# Call recordings (the `call-recordings` volume, shared with Hotline at the same path): owned by asterisk, group
# 10001 (the hotline user's group in Hotline's image), setgid so every folder MixMonitor makes keeps that group.
# Asterisk runs with umask 007 so the files and folders it makes are group-readable and -writable: Hotline plays
# recordings and deletes them after qa.retention_days. Nobody else may read them (they are confidential).
monitor=/var/spool/asterisk/monitor
mkdir -p "$monitor/hotline"
chown -R asterisk:10001 "$monitor"
find "$monitor" -type d -exec chmod 2770 {} +
find "$monitor" -type f -exec chmod 660 {} +

umask 007
exec /usr/sbin/asterisk -f -T -vvv -U asterisk -G asterisk
