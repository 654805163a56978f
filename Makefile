# Two commands on a fresh machine (see README):
#   make app    install what is needed, then run the app on the default store
#   make test   install what is needed (Chromium for the browser tests too), then run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: app test lint format bench chromium mutate venv-support docs-figures

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || $(MAKE) --no-print-directory venv-support
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# The local editor (every write is logged under a name): $CEASEFIRE_EDITOR, else your
# login name. Ignored when sign-in is configured (see docs/editing.md).
app: $(STAMP)
	$(BIN)/python -m ceasefire init
	CEASEFIRE_EDITOR="$${CEASEFIRE_EDITOR:-$$(id -un)}" $(BIN)/streamlit run app.py

# A stock Debian/Ubuntu image lacks ensurepip (the python3.X-venv package), so
# `python3 -m venv` fails there. Installed with apt when we are root, like chromium;
# otherwise a clear message naming the package.
venv-support:
	@pkg="$$($(PYTHON) -c 'import sys; print("python3.%d-venv" % sys.version_info[1])')"; \
	[ -n "$$pkg" ] || { echo "error: $(PYTHON) does not run: install Python 3.11 or newer" >&2; exit 1; }; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "$(PYTHON) -m venv needs $$pkg: installing it with apt"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$$pkg" >/dev/null; \
	else \
		echo "error: '$(PYTHON) -m venv' needs the $$pkg package (ensurepip). Install it (sudo apt-get install $$pkg) and run make again." >&2; \
		exit 1; \
	fi

# Debian's chromium serves the browser tests, Plotly's static export (kaleido) and the
# brief's PDF; fonts-liberation gives it Arial's metrics (the charts' layout measures
# text with them); poppler-utils' pdftotext reads the brief back in its test.
# Installed with apt when we are root; otherwise the tests that need them skip with a
# reason (never under CI, where .ci/run installs them first).
chromium:
	@if command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
		&& [ -e /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium fonts-liberation poppler-utils >/dev/null; \
	else echo "chromium, fonts-liberation or poppler-utils missing and not root: browser tests, image export and the brief's test will be skipped"; fi

test: $(STAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# unit and AppTest tests on two workers (a file stays on one worker: its fixtures are
	@# shared), then the browser tests one at a time; both always run, either failing fails
	$(BIN)/python -m pytest -m "not browser" -n 2 --dist loadfile --durations=10; unit=$$?; \
	$(BIN)/python -m pytest -m browser --durations=10; browser=$$?; \
	exit $$(( unit || browser ))

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/bench_dashboard.py --sizes 100000,1000000

# The manual's example figures (docs/figures/, shown in README.md and docs/figures.md): the timeline, the actor x target matrix
# and the map at one journal column (85 mm), made from a fresh demo store.
docs-figures: $(STAMP)
	@tmp="$$(mktemp -d)"; db="$$tmp/demo.duckdb"; \
	$(BIN)/python -m ceasefire --db "$$db" init >/dev/null && \
	$(BIN)/python -m ceasefire --db "$$db" chart timeline --by month --size column -o docs/figures/timeline-column.png && \
	$(BIN)/python -m ceasefire --db "$$db" chart actor-target --size column -o docs/figures/matrix-column.png && \
	$(BIN)/python -m ceasefire --db "$$db" chart map --size column -o docs/figures/map-column.png; \
	status=$$?; rm -rf "$$tmp"; exit $$status

# Mutation testing of the rule-bearing modules (slow; not part of `make test`). One module
# at a time, niced; results and every surviving mutant are in tests/MUTATION.md.
# Run one module: make mutate MUTATE=filters (a name with a * is taken as the pattern of
# mutant names under ceasefire.: the attribution rules are two functions of the importers).
MUTATE ?= tables.derive importers.linking importers.checks importers.acled.x_roles_sql* \
	importers.ucdp.x_roles_sql* filters records queries editing.form editing.values \
	editing.same_event
mutate: $(STAMP)
	rm -rf mutants
	for m in $(MUTATE); do \
		case "$$m" in *'*'*) p="ceasefire.$$m" ;; *) p="ceasefire.$$m.*" ;; esac; \
		nice -n 10 $(BIN)/mutmut run --max-children 2 "$$p" || exit 1; done
	$(BIN)/mutmut results
