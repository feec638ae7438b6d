"""Content Credentials (C2PA) on WAV, MP3 and FLAC files, through c2pa-python: a signed manifest
that says how the file was made, and a reader that checks it.

The manifest's `c2pa.actions` say the file was created (`c2pa.created`) by Maestro as
`trainedAlgorithmicMedia`, or as `compositeWithTrainedAlgorithmicMedia` when a person supplied
part of it (a melody, a reference, stems: each such file an ingredient, its own manifest kept);
an `org.maestro.credits` assertion carries the credits (who and what made which part). Signing
writes a new file beside the target and moves it into place, so a failed signature leaves
nothing half-written.

>>> make_manifest("Rain", human_input=False, credits={"composition": "AI"})["assertions"][0]["data"]["actions"][0]["action"]
'c2pa.created'
"""
from __future__ import annotations

import base64
import json
from pathlib import Path

import c2pa

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.version import __version__
from maestro_ai.io.atomic import atomic_path
from maestro_ai.provenance.identity import Identity

SOURCE_TYPES = "http://cv.iptc.org/newscodes/digitalsourcetype/"
AI_MADE, AI_WITH_HUMAN = "trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"
MIME = {".wav": "audio/wav", ".mp3": "audio/mpeg", ".flac": "audio/flac"}
CREDITS = "org.maestro.credits"
SOFT_BINDING = "c2pa.soft-binding"  # C2PA's statement of a watermark in the asset: its algorithm and value
WATERMARK_ALG = "org.maestro.watermark.v1"  # Maestro's watermark (provenance.watermark), its value the 8-byte payload
TAMPERED = ("assertion.dataHash.mismatch", "assertion.bmffHash.mismatch", "assertion.boxesHash.mismatch",
            "claimSignature.mismatch", "assertion.hashedURI.mismatch")
UNTRUSTED = "signingCredential.untrusted"
PARENT = "parent"  # the label of a parentOf ingredient, which an edit's c2pa.opened names


def make_manifest(title: str, *, human_input: bool, credits: dict, models: dict | None = None,
                  action: str = "c2pa.created", watermark: int | None = None) -> dict:
    """The manifest definition of a file Maestro made (`action` "c2pa.created"), changed
    ("c2pa.edited", a master) or only watermarked ("c2pa.watermarked", `maestro watermark
    embed`: no AI made any of it, so no source type is claimed); an edited or watermarked file is
    signed with its source as the parentOf ingredient, which the manifest opens first. It holds
    the title, the action and how (AI alone, or AI with a person's material), Maestro's version
    and models, the credits, and the watermark in the audio when it has one: a c2pa.watermarked
    action and C2PA's soft-binding assertion with its payload (so a copy is known by it)."""
    agent = {"name": "Maestro", "version": __version__}
    actions = [{"action": "c2pa.opened", "parameters": {"ingredientIds": [PARENT]}}] \
        if action in ("c2pa.edited", "c2pa.watermarked") else []
    if action != "c2pa.watermarked":
        made = {"action": action, "softwareAgent": agent,
                "digitalSourceType": SOURCE_TYPES + (AI_WITH_HUMAN if human_input else AI_MADE)}
        actions.append(made | ({"parameters": {"models": models}} if models else {}))
    assertions = [{"label": "c2pa.actions", "data": {"actions": actions}}, {"label": CREDITS, "data": credits}]
    if watermark is not None:
        actions.append({"action": "c2pa.watermarked", "softwareAgent": agent})
        value = base64.b64encode(watermark.to_bytes(8, "big")).decode()
        assertions.append({"label": SOFT_BINDING, "data": {"alg": WATERMARK_ALG, "blocks": [{"scope": {}, "value": value}]}})
    return {"claim_generator_info": [agent], "title": title, "assertions": assertions}


def signer_of(identity: Identity) -> c2pa.Signer:
    """A c2pa signer with `identity`'s key (ES256) and certificate chain."""
    return c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, identity.chain_pem, identity.key_pem,
                                                     None))


def add_ingredients(builder: c2pa.Builder, ingredients: list[tuple[Path, str]]) -> None:
    """Name each (file, relationship: "inputTo" or "parentOf") in the manifest, its own manifest
    kept; a parentOf ingredient is the one an edit's c2pa.opened names."""
    for path, relationship in ingredients:
        kind = MIME.get(Path(path).suffix.lower()) or "audio/midi"
        with open(path, "rb") as stream:
            about = {"title": Path(path).name, "relationship": relationship}
            if relationship == "parentOf":
                about |= {"label": PARENT, "instance_id": PARENT}
            builder.add_ingredient(about, kind, stream)


def sign_file(source: Path | str, out: Path | str, manifest: dict, identity: Identity,
              ingredients: list[tuple[Path, str]] = ()) -> Path:
    """Write `out`: `source` with `manifest` signed by `identity` in it; `ingredients` are (file,
    relationship: "inputTo" or "parentOf") that the manifest names, their own manifests kept."""
    source, out = Path(source), Path(out)
    mime = MIME.get(out.suffix.lower())
    if mime is None or MIME.get(source.suffix.lower()) != mime:
        raise InvalidRequest(f"Content Credentials go on .wav, .mp3 or .flac files, not {out.name!r}")
    with c2pa.Builder(manifest) as builder, atomic_path(out) as tmp:
        add_ingredients(builder, ingredients)
        builder.sign_file(str(source), str(tmp), signer_of(identity))
    return out


def _store(path: Path | str, trust_pem: bytes | None = None) -> dict | None:
    """The file's manifest store as c2pa-python reports it (checked against `trust_pem`), or None
    when it has no Content Credentials."""
    settings = {"verify": {"verify_trust": trust_pem is not None}}
    if trust_pem is not None:
        settings["trust"] = {"trust_anchors": trust_pem.decode()}
    try:
        with c2pa.Reader(str(path), context=c2pa.Context(c2pa.Settings.from_dict(settings))) as reader:
            return json.loads(reader.json())
    except c2pa.C2paError as exc:
        if "ManifestNotFound" in type(exc).__name__ or "no JUMBF" in str(exc):
            return None
        raise InvalidRequest(f"cannot read the Content Credentials of {str(path)!r}: {exc}") from None


def manifest_marks(path: Path | str) -> tuple[list[str], list[int], list[int]]:
    """What a file's Content Credentials identify it by: the labels of every manifest in its store
    (its own first, then its ingredients', so a master or remix names the work it came from), the
    watermark payloads those manifests declare, and those its own manifest declares; ([], [], [])
    for a file without credentials."""
    store = _store(path) if Path(path).suffix.lower() in MIME else None
    if store is None:
        return [], [], []
    manifests = store.get("manifests", {})
    labels = [store["active_manifest"]] + sorted(set(manifests) - {store["active_manifest"]})

    def declared(label: str) -> list[int]:
        return [int.from_bytes(base64.b64decode(block["value"]), "big") for a in manifests[label].get("assertions", [])
                if a.get("label") == SOFT_BINDING and a["data"].get("alg") == WATERMARK_ALG
                for block in a["data"].get("blocks", [])]

    payloads = [p for label in labels for p in declared(label)]
    return labels, list(dict.fromkeys(payloads)), declared(labels[0])


def read_credentials(path: Path | str, trust_pem: bytes | None = None) -> dict:
    """What a file's Content Credentials say, checked: whether it has any, who signed it and
    whether that signer is trusted (by `trust_pem`'s CA certificates), whether the file was
    altered since, how it was made (AI use), its credits and its ingredients."""
    store = _store(path, trust_pem)
    if store is None:
        return {"signed": False}
    active = store["manifests"][store["active_manifest"]]
    problems = [s["code"] for s in store.get("validation_status") or []]
    actions = next((a["data"]["actions"] for a in active["assertions"] if a["label"].startswith("c2pa.actions")), [])
    created = next((a for a in actions if a["action"] in ("c2pa.created", "c2pa.edited")), None) \
        or next((a for a in actions if a["action"] == "c2pa.watermarked"), {})
    source = str(created.get("digitalSourceType", "")).removeprefix(SOURCE_TYPES)
    signature = active.get("signature_info", {})
    return {"signed": True, "title": active.get("title"),
            "signer": signature.get("common_name"), "issuer": signature.get("issuer"),
            "trusted": store.get("validation_state") == "Trusted",
            "tampered": any(code in TAMPERED for code in problems),
            "state": store.get("validation_state"), "problems": problems,
            "made_by": created.get("softwareAgent"), "action": created.get("action"), "source_type": source,
            "ai": {AI_MADE: "made by AI", AI_WITH_HUMAN: "made by AI with a person's material"}.get(source, "not stated"),
            "credits": next((a["data"] for a in active["assertions"] if a["label"] == CREDITS), {}),
            "ingredients": [{"title": i.get("title"), "relationship": i.get("relationship"),
                             "signed": bool(i.get("active_manifest"))} for i in active.get("ingredients", [])]}
