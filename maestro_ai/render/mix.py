"""Stems and the mix: render every part (two at a time), apply its chain, balance, sum.

The stems written to disk are exactly what is summed, so the stems add up to the pre-master mix.
Reverb is one shared send: its return is the 'reverb' stem (one reverb instead of one per part).
At studio quality the template's buses glue groups of stems (render.glue): each stem of a bus gets
the bus compressor's gain, so they still add up to the mix.

>>> LEVELS_DB["drums"], LEVELS_DB["pad"]
(0.0, -9.0)
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from pedalboard import Compressor, HighpassFilter, HighShelfFilter, LowShelfFilter, PeakFilter, Pedalboard

from maestro_ai.compose.drums import KIT
from maestro_ai.compose.vocals import SUNG_PARTS
from maestro_ai.core.instrument import Instrument, Source
from maestro_ai.core.mixdown import Mixdown, StoredAudio, audio_of
from maestro_ai.core.performance import Performance, PlayedPart
from maestro_ai.core.score import ADLIB_PART, DOUBLE_PART, RAP_PART, VOCAL_PART
from maestro_ai.core.style import Controls, Genre
from maestro_ai.prompt.singers import load_singer
from maestro_ai.render.effects import chain_for, reverb_in_halves, reverb_send, shared_reverb, sidechain_envelope, vinyl_texture
from maestro_ai.render.glue import glue_envelope
from maestro_ai.render.instrument import render_part
from maestro_ai.render.singer import double_takes, phrase_tails, sing_part
from maestro_ai.render.speech import speak
from maestro_ai.render.sweep import riser
from maestro_ai.render.synth import Backend, default_backend, note_events
from maestro_ai.render.template import mix_template, pan_gains
from maestro_ai.render.vocal_chain import thrown, vocal_board

THROWN = (VOCAL_PART, RAP_PART, ADLIB_PART)  # the voices whose phrase ends are thrown to a delay
# CPU seconds per second of sung notes (WORLD, the chain), to schedule them: words (measured on
# the 180 s pop song: 0.006-0.01), and "ooh"s (wavetables, 0.002)
SINGING_COST_S, OOH_COST_S = 0.008, 0.002

LEVELS_DB = {"drums": 0.0, "bass": -1.5, "melody": -2.0, "harmony": -5.0, "counter": -7.0, "pad": -9.0,
             "texture": -24.0, "riser": -15.0, "vocals": 0.0, "harmonies": -7.0, "backing": -10.0, "rap": 0.0,
             "double": -9.0, "adlibs": -6.0}
REFERENCE_RMS_DB = -24.0  # leaves drum peaks room under full scale in 16-bit stems
FADE_OUT_S = 1.5
STUDIO_FADE_OUT_S = 0.3
REVERB_HIGHPASS_HZ = 220.0  # as mixing engineers filter a reverb return
STEM_CEILING = 0.98
EQ_FILTERS = {"lowshelf": LowShelfFilter, "highshelf": HighShelfFilter, "peak": PeakFilter}  # mixes.toml eq kinds
BUS_BLOCK = 1 << 18  # frames summed into a bus at a time
BOARD_BUFFER = 8192  # pedalboard's own processing block
BOARD_BLOCK = BOARD_BUFFER * 64  # frames sent through an effects chain at a time


def active_rms_db(audio: np.ndarray, sample_rate: int) -> float:
    """RMS level in dBFS over the parts of a stem that actually sound (100 ms blocks)."""
    block = sample_rate // 40  # 100 ms of every 4th sample: plenty for a level estimate
    sparse = audio[:, ::4]
    usable = sparse.shape[1] // block * block
    if usable == 0:
        return -120.0
    power = np.einsum("cnb,cnb->n", sparse[:, :usable].reshape(audio.shape[0], -1, block),
                      sparse[:, :usable].reshape(audio.shape[0], -1, block), dtype=np.float64)
    power /= block * audio.shape[0]
    loud = power[power > power.max() * 1e-4]
    return float(10 * np.log10(loud.mean())) if loud.size and loud.mean() > 0 else -120.0


def synthesis_cost(program: int, is_drum: bool) -> tuple[float, float]:
    """How long a note of a GM program rings after its release in FluidR3, and the CPU seconds a
    second of it takes to render (both measured, roughly): synth pads ring longest and layer samples,
    then string ensembles and choirs, then the rest; a piano layers its samples (MuseScore's grand:
    3.7 s for the 86 distinct chords of a 180 s pop song's comping, sixteen times a pluck's cost)."""
    if is_drum:
        return 0.6, 2.5e-3
    if program <= 7:  # pianos
        return 0.15, 0.04
    if 88 <= program <= 95:  # synth pads
        return 2.5, 5e-3
    if 48 <= program <= 55:  # string ensembles, choirs
        return 1.2, 2.5e-3
    return 0.3, 2.5e-3


def estimated_seconds(track: PlayedPart, perf: Performance, sample_rate: int, duration_seconds: float, board) -> float:
    """A rough CPU cost of rendering and processing a track, to schedule the costliest first: the
    seconds of distinct notes synthesized (held plus release) at `synthesis_cost`, and 0.8 ms per
    second of audio for each effect (a chorus counts twice)."""
    distinct = {(p, v, h) for _, p, v, h in note_events(track, perf, sample_rate)}
    release, per_second = synthesis_cost(track.program, track.is_drum)
    synth = sum(h / sample_rate + release for _, _, h in distinct) * per_second
    effects = sum(2 if type(fx).__name__ == "Chorus" else 1 for fx in board)
    return synth + effects * duration_seconds * 0.8e-3


def through_board(board, audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Run `audio` through an effects chain in place, a block at a time with the chain's state
    carried across blocks (the same samples as the whole at once: the blocks are whole multiples
    of pedalboard's own processing block), so no second whole-song buffer is needed."""
    for start in range(0, audio.shape[1], BOARD_BLOCK):
        block = slice(start, start + BOARD_BLOCK)
        audio[:, block] = board(audio[:, block], sample_rate, buffer_size=BOARD_BUFFER, reset=start == 0)
    return audio


def _fades(frames: int, sample_rate: int, fade_out_s: float = FADE_OUT_S) -> np.ndarray:
    env = np.ones(frames, dtype=np.float32)
    fade_in = min(frames, int(0.005 * sample_rate))
    env[:fade_in] = np.linspace(0, 1, fade_in, dtype=np.float32)
    fade_out = min(frames // 2, int(fade_out_s * sample_rate))
    if fade_out:
        env[frames - fade_out:] *= np.linspace(1, 0, fade_out, dtype=np.float32) ** 2
    return env


@dataclass
class Rendered:
    """Every part rendered, processed and balanced, in the order they were summed into the buses
    (name, audio, gain in dB, peak), the buses themselves (the mix and the reverb send), and the
    fade envelope every stem got."""

    stems: list[tuple[str, np.ndarray | StoredAudio, float, float]]
    mix: np.ndarray
    send: np.ndarray | None
    envelope: np.ndarray
    sources: dict[str, list[Source]] = field(default_factory=dict)  # what played each part (studio)
    send_highpass_hz: float | None = None  # studio: the reverb hears no low end (no boom from the kick)
    glue_db: dict[str, float] = field(default_factory=dict)  # studio: each bus's mean gain reduction


def render_stems(perf: Performance, genre: Genre, controls: Controls, duration_seconds: float,
                 rng: np.random.Generator, sample_rate: int, backend: Backend, pool: Executor,
                 on_part: Callable[[str], None] | None = None,
                 keep: Callable[[np.ndarray], np.ndarray | StoredAudio] | None = None,
                 orchestra: dict[str, Instrument] | None = None) -> Rendered:
    """Render, process and balance every part on `pool`, the costliest first, summing each into
    the mix and the reverb send as it is done. `on_part(name)` is called as each part is done;
    `keep(audio)` decides where a finished stem waits until it is written (default: memory);
    `orchestra` names the instrument of each part (studio quality; None: General MIDI)."""
    orchestra = orchestra or {}
    sources: dict[str, list[Source]] = {}
    frames = int(round(duration_seconds * sample_rate))
    beat_seconds = 60.0 / perf.tempo
    effects = list(genre.effects)
    # A studio song is planned to end before its length (compose.arrange.ring_out_seconds): only
    # the last whisper of its tail is faded, against a click.
    envelope = _fades(frames, sample_rate, STUDIO_FADE_OUT_S if orchestra else FADE_OUT_S)

    template = mix_template(genre.name) if orchestra else None  # studio: the genre's mix template

    def balanced(name: str, audio: np.ndarray) -> tuple[np.ndarray, float]:
        level = template.level(name) if template else genre.levels.get(name, LEVELS_DB.get(name, -6.0))
        current = active_rms_db(audio, sample_rate)
        gain_db = REFERENCE_RMS_DB + level - current if current > -100 else 0.0
        audio *= np.float32(10 ** (gain_db / 20))
        audio *= envelope
        if template and template.pans.get(name, 0.0):
            audio *= pan_gains(template.pans[name])[:, None]
        return audio, round(gain_db, 2)

    duck, ducked = None, None  # ducked: the parts the kick ducks (None: every part but the drums)
    drums = next((t for t in perf.parts if t.is_drum), None)
    kicks = [perf.seconds(n.start) for n in drums.notes if n.pitch == KIT["kick"]] if drums else []
    if template is not None:
        effects = [e for e in effects if e != "sidechain"]  # the template's own sidechain instead
        if template.sidechain_parts:
            ducked = set(template.sidechain_parts)
            duck = sidechain_envelope(kicks, frames, sample_rate, template.sidechain_depth_db,
                                      template.sidechain_release_s)
    elif "sidechain" in effects:
        duck = sidechain_envelope(kicks, frames, sample_rate)

    mix = np.zeros((2, frames), dtype=np.float32)
    present = {t.name for t in perf.parts}
    buses = {name: glue for name, glue in (template.buses if template else {}).items()
             if glue.ratio > 1 and present.intersection(glue.parts)}
    bus_of = {part: name for name, glue in buses.items() for part in glue.parts}
    bus_sums = {name: np.zeros(frames, dtype=np.float32) for name in buses}  # mono: what each compressor hears
    send = np.zeros((2, frames), dtype=np.float32) if shared_reverb(effects, controls.space) is not None else None

    def into_buses(name: str, audio: np.ndarray) -> None:
        """Add a finished stem to the mix and the reverb send. Called in a fixed order of stems:
        float sums depend on their order, and the same seed must give the same bytes. A stem of a
        glued bus joins the mix once its bus's compressor is known."""
        if name in bus_of:
            bus = bus_sums[bus_of[name]]
            for start in range(0, frames, BUS_BLOCK):
                block = slice(start, start + BUS_BLOCK)
                bus[block] += (audio[0, block] + audio[1, block]) * np.float32(0.5)
        else:
            np.add(mix, audio, out=mix)
        amount = reverb_send(effects, name, controls.space) if send is not None else 0.0
        if template is not None and send is not None and name in template.sends:
            amount = template.sends[name] * (0.6 + 0.8 * controls.space)  # the genre's send, opened by 'space'
        if amount:
            for start in range(0, frames, BUS_BLOCK):  # in blocks: no whole-song temporary
                block = slice(start, start + BUS_BLOCK)
                np.add(send[:, block], audio[:, block] * np.float32(amount), out=send[:, block])

    boards = {t.name: vocal_board(t.name, template.compress.get(t.name) if template else None) if t.name in SUNG_PARTS else
              chain_for(t.name, effects, brightness=controls.brightness, space=controls.space,
                        energy=controls.energy, beat_seconds=beat_seconds) for t in perf.parts}
    if template is not None:  # the template's low cuts in place of the chains' own
        for name, board in boards.items():
            for fx in [fx for fx in board if isinstance(fx, HighpassFilter)]:
                board.remove(fx)
            low_cut = [HighpassFilter(cutoff_frequency_hz=template.highpass[name])] if name in template.highpass else []
            tone = [EQ_FILTERS[kind](cutoff_frequency_hz=hz, gain_db=db) for kind, hz, db in template.eq.get(name, ())]
            for fx in reversed(low_cut + tone):  # first in the chain: the low cut, then the part's tone
                board.insert(0, fx)
            if name in template.compress and not any(isinstance(fx, Compressor) for fx in board):
                threshold, ratio = template.compress[name]
                board.append(Compressor(threshold_db=threshold, ratio=ratio, attack_ms=10.0, release_ms=150.0))

    # The song's syllables, spoken and analysed once on both threads before any part starts, and
    # shared by its voices (the harmony sings the lead's words)
    syllables: dict = {}
    for part in perf.parts:
        if part.name in SUNG_PARTS and part.phonemes:
            speak([p for _, p in part.phonemes], load_singer(part.instrument), syllables, pool)

    def process(part: PlayedPart) -> tuple[str, np.ndarray, float, float]:
        if part.name in SUNG_PARTS:
            singer = load_singer(part.instrument)
            audio = double_takes(part, perf, singer, frames, sample_rate, known=syllables) if part.name == DOUBLE_PART \
                else sing_part(part, perf, singer, frames, sample_rate, spoken=part.name == RAP_PART, known=syllables)
            sources[part.name] = []
        else:
            audio, sources[part.name] = render_part(part, orchestra.get(part.name), perf, frames, sample_rate, backend)
        board = boards[part.name]
        if len(board):
            through_board(board, audio, sample_rate)
        if part.name in THROWN:
            audio = thrown(audio, phrase_tails(part, perf), beat_seconds, sample_rate)
        if duck is not None and not part.is_drum and (ducked is None or part.name in ducked):
            audio *= duck
        audio, gain = balanced(part.name, audio)
        if on_part:
            on_part(part.name)
        return (part.name, *kept(audio, gain))

    def kept(audio: np.ndarray, gain: float) -> tuple[np.ndarray | StoredAudio, float, float]:
        """The stem where `keep` puts it (at once, on the worker: a stem waiting its turn to be
        summed would otherwise sit in memory), its gain and its peak."""
        peak = float(np.abs(audio).max())
        return (keep(audio) if keep else audio), gain, peak

    def texture() -> tuple[str, np.ndarray | StoredAudio, float, float]:
        audio, gain = balanced("texture", vinyl_texture(frames, sample_rate, rng))
        return ("texture", *kept(audio, gain))

    def rising(noise: np.random.Generator) -> tuple[str, np.ndarray | StoredAudio, float, float]:
        audio, gain = balanced("riser", riser(perf, frames, sample_rate, noise))
        return ("riser", *kept(audio, gain))

    # The costliest parts go first (longest-job-first), so the two workers finish together.
    def cost(t: PlayedPart) -> float:
        if t.name in SUNG_PARTS:
            per_second = SINGING_COST_S if t.phonemes else OOH_COST_S
            takes = 2 if t.name == DOUBLE_PART else 1
            return takes * per_second * sum(perf.seconds(n.end - n.start) for n in t.notes)
        return estimated_seconds(t, perf, sample_rate, duration_seconds, boards[t.name])

    jobs = sorted(perf.parts, reverse=True, key=cost)
    results = [pool.submit(process, part) for part in jobs]
    if perf.risers:
        noise = rng.spawn(1)[0]  # its own stream: the texture draws from `rng` on the other worker
        results.append(pool.submit(rising, noise))
    if "vinyl" in effects:
        results.append(pool.submit(texture))  # the cheapest job goes last
    # Summed in job order, while later jobs still render; each finished job is let go at once, or
    # its future would hold on to the stem as well.
    done = []
    while results:
        name, stem, gain, peak = results.pop(0).result()
        into_buses(name, audio_of(stem))
        done.append((name, stem, gain, peak))
    glue_db = {}
    for bus, glue in buses.items():
        shape = glue_envelope(bus_sums.pop(bus), sample_rate, glue)
        glue_db[bus] = round(float(-20 * np.log10(shape[::64]).mean()), 2)
        for i, (name, stem, gain, _) in enumerate(done):
            if bus_of.get(name) == bus:
                if isinstance(stem, np.ndarray):
                    stem *= shape
                else:
                    stem.shape_by(shape)
                audio = audio_of(stem)
                np.add(mix, audio, out=mix)
                done[i] = (name, stem, gain, float(np.abs(audio).max()))
    return Rendered(done, mix, send, envelope, sources, REVERB_HIGHPASS_HZ if template is not None else None, glue_db)


def mix_stems(rendered: Rendered, perf: Performance, genre: Genre, controls: Controls, sample_rate: int,
              pool: Executor) -> Mixdown:
    """The shared reverb's return (a stem of its own), and one gain on every stem and the mix if
    any would clip as 16-bit; the stems in the song's part order."""
    order = {t.name: i for i, t in enumerate(perf.parts)}
    done = sorted(rendered.stems, key=lambda item: order.get(item[0], len(order)))
    stems = {name: audio for name, audio, _, _ in done}
    gains = {name: gain for name, _, gain, _ in done}
    peaks = [peak for *_, peak in done]
    mix = rendered.mix
    reverb = shared_reverb(list(genre.effects), controls.space)
    if reverb is not None:
        if rendered.send_highpass_hz:
            through_board(Pedalboard([HighpassFilter(cutoff_frequency_hz=rendered.send_highpass_hz)]), rendered.send,
                          sample_rate)
        returned = reverb_in_halves(reverb, rendered.send, sample_rate, pool)
        rendered.send = None  # a whole song's worth of memory, no longer needed
        returned *= rendered.envelope
        mix += returned
        peaks.append(float(np.abs(returned).max()))
        stems["reverb"] = returned
    # Stems are written as 16-bit WAV: bring them all down together if any would clip. The same
    # gain on every stem keeps them summing to the mix, and mastering sets the final level anyway.
    if max(peaks) > STEM_CEILING:
        trim = np.float32(STEM_CEILING / max(peaks))
        list(pool.map(lambda audio: audio.__imul__(trim) if isinstance(audio, np.ndarray) else audio.scale(trim),
                      [*stems.values(), mix]))
        gains = {name: round(g + 20 * np.log10(float(trim)), 2) for name, g in gains.items()}
    return Mixdown(stems, mix, sample_rate, gains)


def mix_performance(perf: Performance, genre: Genre, controls: Controls, duration_seconds: float,
                    rng: np.random.Generator, sample_rate: int = 44100, backend: Backend | None = None,
                    workers: int = 2) -> Mixdown:
    """Render and mix a performance in one call (the pipeline runs the two as stages of their own).

    >>> from maestro_ai.core.key import Key
    >>> from maestro_ai.core.meter import TimeSignature
    >>> from maestro_ai.core.performance import PlayedNote
    >>> from maestro_ai.prompt.controls import derive_controls
    >>> c = derive_controls("ambient", "peaceful", [])
    >>> perf = Performance(90.0, TimeSignature(4, 4), Key(0, "major"),
    ...                    [PlayedPart("melody", 0, False, 0, "", [PlayedNote(0, 480, 60, 90)])], 960)
    >>> mixdown = mix_performance(perf, c.genre, c, 1.5, np.random.default_rng(0))
    >>> sorted(mixdown.stems), mixdown.mix.shape
    (['melody', 'reverb'], (2, 66150))
    """
    backend = backend or default_backend()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        rendered = render_stems(perf, genre, controls, duration_seconds, rng, sample_rate, backend, pool)
        return mix_stems(rendered, perf, genre, controls, sample_rate, pool)
