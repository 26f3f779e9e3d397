#!/usr/bin/env bash
# Regenerates the public certificates used by the examples with OpenSSL. Private keys are created in a
# temporary folder and deleted: only certificates are written into the repository.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
days=7300   # 20 years, so the examples stay valid

ca() { # name subject [issuer] [pathlen]
  local name=$1 subj=$2 issuer=${3:-} path=${4:-}
  openssl genrsa -out "$tmp/$name.key" 3072 2>/dev/null
  printf 'basicConstraints=critical,CA:TRUE%s\nkeyUsage=critical,digitalSignature,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n' \
    "${path:+,pathlen:$path}" > "$tmp/$name.ext"
  if [ -z "$issuer" ]; then
    openssl req -new -x509 -key "$tmp/$name.key" -subj "$subj" -days $days -sha256 \
      -extensions v3 -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n[v3]\n'; cat "$tmp/$name.ext") -out "$tmp/$name.pem"
  else
    openssl req -new -key "$tmp/$name.key" -subj "$subj" -out "$tmp/$name.csr"
    printf 'authorityKeyIdentifier=keyid\n' >> "$tmp/$name.ext"
    openssl x509 -req -in "$tmp/$name.csr" -CA "$tmp/$issuer.pem" -CAkey "$tmp/$issuer.key" -CAcreateserial \
      -days $days -sha256 -extfile "$tmp/$name.ext" -out "$tmp/$name.pem" 2>/dev/null
  fi
}
server() { # name cn issuer
  local name=$1 cn=$2 issuer=$3
  openssl genrsa -out "$tmp/$name.key" 2048 2>/dev/null
  openssl req -new -key "$tmp/$name.key" -subj "/C=US/O=Example Corp/CN=$cn" -out "$tmp/$name.csr"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:%s\nauthorityKeyIdentifier=keyid\n' "$cn" > "$tmp/$name.ext"
  openssl x509 -req -in "$tmp/$name.csr" -CA "$tmp/$issuer.pem" -CAkey "$tmp/$issuer.key" -CAcreateserial \
    -days $days -sha256 -extfile "$tmp/$name.ext" -out "$tmp/$name.pem" 2>/dev/null
}

ca corp-root "/C=US/O=Example Corp/CN=Example Corp Root CA"
ca corp-issuing "/C=US/O=Example Corp/CN=Example Corp Issuing CA 1" corp-root 0
server ca-https ca.example.com corp-root
ca edge-root "/C=US/O=Example Corp/OU=Edge/CN=Example Edge CA"
ca offline-root "/C=US/O=Example Corp/CN=Example Offline Root CA"
ca offline-lsc "/C=US/O=Example Corp/CN=Example LSC Signing CA" offline-root 0

install -d "$here/lab/certs" "$here/offline-ca/certs" "$here/sip-oauth-mra/certs"
cp "$tmp/corp-root.pem" "$here/lab/certs/corp-root.pem"
cat "$tmp/corp-issuing.pem" "$tmp/corp-root.pem" > "$here/lab/certs/corp-chain.pem"
cp "$tmp/ca-https.pem" "$here/lab/certs/ca-https.pem"
cp "$tmp/edge-root.pem" "$here/lab/certs/edge-ca.pem"
cp "$tmp/offline-root.pem" "$here/offline-ca/certs/offline-root.pem"
cat "$tmp/offline-lsc.pem" "$tmp/offline-root.pem" > "$here/offline-ca/certs/lsc-chain.pem"
cp "$tmp/corp-root.pem" "$here/offline-ca/certs/corp-root.pem"
cat "$tmp/corp-issuing.pem" "$tmp/corp-root.pem" > "$here/offline-ca/certs/corp-chain.pem"
cp "$tmp/corp-root.pem" "$here/sip-oauth-mra/certs/corp-root.pem"
cat "$tmp/corp-issuing.pem" "$tmp/corp-root.pem" > "$here/sip-oauth-mra/certs/corp-chain.pem"
cp "$tmp/edge-root.pem" "$here/sip-oauth-mra/certs/edge-ca.pem"
echo "certificates written; private keys discarded"
