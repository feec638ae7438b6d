"""Consent checks the rest of Maestro asks the registry for: may this person's voice be sung by
whoever registered it?

>>> from maestro_ai.core.voices import VoiceConsent
>>> registry = Registry("sqlite://")
>>> _ = registry.add_artist("Grace"), registry.add_artist("Ada")
>>> work = registry.add_work("Grace's takes", owner="Grace", acting="Grace")
>>> _ = registry.grant(work.id, to="Ada", scope="voice", acting="Grace")
>>> check_voice_grant(VoiceConsent("Grace", "Ada", "Grace's grant 1", work=work.id), registry)
"""
from __future__ import annotations

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.voices import VoiceConsent
from maestro_ai.rights.registry import Registry


def check_voice_grant(consent: VoiceConsent, registry: Registry | str | None = None) -> None:
    """A clear error unless `consent.work` belongs to the person whose voice it is and grants
    `voice` to the one who registers it (today, anywhere)."""
    person, user = consent.voice_of.strip(), consent.registered_by.strip()
    if consent.work is None:
        raise InvalidRequest(f"{user} may register {person}'s voice only with {person}'s voice grant: "
                             f"name the registered work (consent work=...)")
    registry = registry if isinstance(registry, Registry) else Registry(registry)
    owner = registry.owner_of(consent.work)
    if owner != person:
        raise InvalidRequest(f"work {consent.work} belongs to {owner}, not to {person}: it cannot lend {person}'s voice")
    answer = registry.permission(consent.work, user, "voice")
    if not answer.allowed:
        raise InvalidRequest(answer.reason)
