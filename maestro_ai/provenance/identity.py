"""The signing identity Content Credentials are signed with: a local private CA and an ES256
(P-256) signing certificate it issued, made on first use in the user's data folder, or a
certificate and key the user brings.

The folder is `$MAESTRO_HOME/identity`, else `$XDG_DATA_HOME/maestro/identity`, else
`~/.local/share/maestro/identity`: `ca.pem` (the CA's certificate: give it to whoever should
trust your files), `ca.key` and `signer.key` (private, mode 0600), `signer.pem`. The signing
certificate carries what C2PA asks of one: digitalSignature, the emailProtection extended key
usage, its issuer's key identifier; the CA is a CA (basicConstraints, keyCertSign) and never
signs content itself.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> me = local_identity(folder, "Ada")
>>> me.name, me.chain_pem.count(b"BEGIN CERTIFICATE"), local_identity(folder).chain_pem == me.chain_pem
('Ada', 2, True)
"""
from __future__ import annotations

import datetime
import getpass
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.atomic import atomic_path
from maestro_ai.io.userdata import data_folder

CA_YEARS, SIGNER_YEARS = 20, 5
ORGANIZATION = "Maestro (local identity)"


@dataclass(frozen=True)
class Identity:
    """Who signs: their name, the certificate chain (signer then CA, PEM), the signing key (PEM)
    and the CA certificates a reader should trust to call the signature trusted."""

    name: str
    chain_pem: bytes
    key_pem: bytes
    trust_pem: bytes


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION)])


def _usage(sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=sign, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=not sign, crl_sign=not sign,
                         encipher_only=False, decipher_only=False)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _write(path: Path, data: bytes, private: bool = False) -> None:
    if not private:
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
        return
    hidden = path.with_name(f".{path.name}.{os.getpid()}")  # made 0600 from its first byte
    descriptor = os.open(hidden, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(hidden, path)
    finally:
        if hidden.exists():
            hidden.unlink()


def create_identity(folder: Path, name: str) -> None:
    """A new CA and signing certificate for `name` in `folder`."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"{name} - Maestro local CA")
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=365 * CA_YEARS))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(_usage(sign=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    signer = (x509.CertificateBuilder().subject_name(_name(name)).issuer_name(ca_name).public_key(key.public_key())
              .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
              .not_valid_after(now + datetime.timedelta(days=365 * SIGNER_YEARS))
              .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
              .add_extension(_usage(sign=True), critical=True)
              .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
              .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
              .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
              .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "ca.key", _key_pem(ca_key), private=True)
    _write(folder / "signer.key", _key_pem(key), private=True)
    _write(folder / "ca.pem", _pem(ca))
    _write(folder / "signer.pem", _pem(signer))  # last: its presence says the identity is whole


def local_identity(folder: Path | None = None, name: str | None = None) -> Identity:
    """The local identity, made on first use (named after `name`, else the user's login name)."""
    folder = Path(folder) if folder is not None else data_folder() / "identity"
    if not (folder / "signer.pem").exists():
        create_identity(folder, name or getpass.getuser() or "Maestro user")
    signer = x509.load_pem_x509_certificate((folder / "signer.pem").read_bytes())
    common = signer.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    ca = (folder / "ca.pem").read_bytes()
    return Identity(str(common), (folder / "signer.pem").read_bytes() + ca, (folder / "signer.key").read_bytes(), ca)


def own_identity(chain: Path | str, key: Path | str, trust: list[Path | str] | None = None) -> Identity:
    """An identity from the user's own certificate chain and key (PEM files), trusting `trust` (PEM
    files of CA certificates; the chain's last certificate by default)."""
    try:
        chain_pem, key_pem = Path(chain).read_bytes(), Path(key).read_bytes()
        certs = x509.load_pem_x509_certificates(chain_pem)
        serialization.load_pem_private_key(key_pem, password=None)
        trust_pem = b"".join(Path(t).read_bytes() for t in trust) if trust else _pem(certs[-1])
    except (OSError, ValueError) as exc:
        raise InvalidRequest(f"cannot use that certificate and key: {exc}") from None
    common = certs[0].subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return Identity(str(common[0].value) if common else "unnamed", chain_pem, key_pem, trust_pem)


def trust_anchors(extra: list[Path | str] = ()) -> bytes | None:
    """The CA certificates (PEM) a signature is trusted by: the local identity's CA (if it has
    been made), every .pem file in the data folder's `trust/`, and `extra` files; None if none."""
    folder = data_folder()
    local = [p for p in (folder / "identity" / "ca.pem", *sorted((folder / "trust").glob("*.pem"))) if p.exists()]
    try:
        pem = b"".join(path.read_bytes() for path in [*local, *map(Path, extra)])
        for cert in x509.load_pem_x509_certificates(pem) if pem else ():
            cert.public_key()
    except (OSError, ValueError) as exc:
        raise InvalidRequest(f"cannot use a trust anchor: {exc}") from None
    return pem or None
