#!/usr/bin/python3
"""The other side of idtsd's signed transfer documents, written with
python3-jwcrypto (a maintained JOSE implementation), to show the daemon's
JWS is the standard one both ways (docs/design.md, "Transfer documents").

  jws_tool.py canonical DOC          the canonical JSON of DOC
  jws_tool.py verify DOC JWK         exit 0 if DOC's signature is JWK's
  jws_tool.py sign DOC KEY KID       DOC signed with KEY (a private JWK)
  jws_tool.py genkey PRIVATE PEM     a new Ed25519 key: JWK and public PEM
"""
import base64
import json
import re
import sys

from jwcrypto import jwk, jws
from jwcrypto.common import base64url_encode, json_encode

SIG_TYPE = {"system": "urn:iso-astm:E1762-95:2013",
            "code": "1.2.840.10065.1.12.1.5",
            "display": "Verification Signature"}


def canon_float(f):
    """A decimal as jansson writes it with JSON_REAL_PRECISION(15)."""
    s = "%.15g" % f
    if "e" in s:
        mant, exp = s.split("e")
        sign = "-" if exp.startswith("-") else ""
        s = mant + "e" + sign + exp.lstrip("+-").lstrip("0")
    if "." not in s and "e" not in s:
        s += ".0"
    return s


def canon(o):
    """The canonical JSON: compact, keys sorted, ASCII with upper-case
    \\u escapes, decimals to 15 significant digits."""
    if isinstance(o, dict):
        return "{" + ",".join(canon(k) + ":" + canon(o[k])
                              for k in sorted(o)) + "}"
    if isinstance(o, list):
        return "[" + ",".join(canon(v) for v in o) + "]"
    if isinstance(o, str):
        return re.sub(r"\\u([0-9a-f]{4})", lambda m: "\\u" +
                      m.group(1).upper(), json.dumps(o, ensure_ascii=True))
    if isinstance(o, bool) or o is None:
        return json.dumps(o)
    if isinstance(o, float):
        return canon_float(o)
    return str(o)


def canonical(doc):
    d = dict(doc)
    d.pop("signature", None)
    return canon(d).encode("ascii")


def verify(doc, key):
    """RFC 7515 appendix F: put the payload back, then verify."""
    data = base64.b64decode(doc["signature"]["data"], validate=True)
    head, payload, sig = data.decode("ascii").split(".")
    if payload != "":
        raise ValueError("not a detached JWS")
    token = head + "." + base64url_encode(canonical(doc)) + "." + sig
    s = jws.JWS()
    s.deserialize(token, key)
    return json.loads(base64.urlsafe_b64decode(head + "=="))


def sign(doc, key, kid):
    s = jws.JWS(canonical(doc))
    s.add_signature(key, None, json_encode({"alg": "EdDSA", "kid": kid}))
    head, _, sig = s.serialize(compact=True).split(".")
    doc["signature"] = {
        "type": [SIG_TYPE], "when": doc.get("timestamp"),
        "who": {"identifier": {"system": "urn:idtsd:establishment",
                               "value": kid}},
        "sigFormat": "application/jose",
        "data": base64.b64encode((head + ".." + sig).encode()).decode()}
    return doc


def main(argv):
    if argv[1] == "genkey":
        k = jwk.JWK.generate(kty="OKP", crv="Ed25519")
        open(argv[2], "w").write(k.export_private())
        open(argv[3], "wb").write(k.export_to_pem())
        return 0
    doc = json.load(open(argv[2]))
    if argv[1] == "canonical":
        sys.stdout.write(canonical(doc).decode())
    elif argv[1] == "verify":
        key = jwk.JWK.from_json(open(argv[3]).read())
        print(json.dumps(verify(doc, key), sort_keys=True))
    elif argv[1] == "sign":
        key = jwk.JWK.from_json(open(argv[3]).read())
        print(json.dumps(sign(doc, key, argv[4])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
