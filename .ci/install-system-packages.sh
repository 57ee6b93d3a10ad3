#!/bin/sh
# Installs the real mail servers the integration tests run (Dovecot 2.3, Postfix 3.7, swaks with
# its TLS and SASL modules, which are only "recommended" by the package) on a
# fresh Debian 12, as root, without questions. Safe to run again. The tests start their own
# instances on high ports from temp folders; this script makes sure no system instance is left
# running on the standard ports (25, 110, 143, 993, 995, ...).
set -eu

if [ "$(id -u)" != 0 ]; then
  echo "install-system-packages.sh: run as root" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# Keep package scripts from starting services while installing (Debian's policy-rc.d hook);
# removed again on exit unless it was there before us.
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=no
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\n# Temporary: written by .ci/install-system-packages.sh\nexit 101\n' > "$POLICY"
  chmod 755 "$POLICY"
  OWN_POLICY=yes
fi
cleanup() {
  if [ "$OWN_POLICY" = yes ]; then rm -f "$POLICY"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

apt-get update
# Postfix asks how to configure the system instance; "No configuration" leaves no main.cf, so the
# system instance cannot start. The harness writes its own config per test run.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get install -y --no-install-recommends \
  dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix swaks libnet-ssleay-perl libauthen-sasl-perl \
  curl openssl ca-certificates

# Mail user for the harness's Dovecot (its login processes refuse to run as root).
if ! id vmail >/dev/null 2>&1; then
  useradd --system --user-group --no-create-home --shell /usr/sbin/nologin vmail
fi

# Make sure no system instance runs now or starts at boot. Each step may find nothing to do.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl disable --now dovecot.service postfix.service >/dev/null 2>&1 || true
fi
if [ -f /etc/postfix/main.cf ]; then
  postfix stop >/dev/null 2>&1 || true
fi
if [ -s /run/dovecot/master.pid ] && kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; then
  doveadm stop >/dev/null 2>&1 || kill "$(cat /run/dovecot/master.pid)" || true
fi

# Fail loudly if anything still holds a standard mail port.
if command -v ss >/dev/null 2>&1; then
  busy=$(ss -Hltn 2>/dev/null | awk '{print $4}' | grep -E ':(25|110|143|465|587|993|995|24|4190)$' || true)
  if [ -n "$busy" ]; then
    echo "install-system-packages.sh: standard mail ports still in use: $busy" >&2
    exit 1
  fi
fi

echo "install-system-packages.sh: dovecot $(dovecot --version | cut -d' ' -f1), postfix $(postconf -d -h mail_version), swaks ready"
