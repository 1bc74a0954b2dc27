# digitpad: `make run` starts the app, `make test` runs the tests.
# Both create .venv and install the project on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.digitpad-installed

.PHONY: run test lint translations lupdate bench bench-gpu models model-mlp model-cnn pen-digits mnist-part screenshots dist clean FORCE

# The first run installs PyTorch and Qt (minutes): say so, and keep pip's pages of
# output in a log that is shown only if something fails.
$(STAMP): pyproject.toml
	@echo "digitpad: setting up $(VENV) (first run only: installs PyTorch and Qt, a few minutes)..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip > $(VENV)/install.log 2>&1 \
	  && $(BIN)/python -m pip install --quiet -e ".[test]" >> $(VENV)/install.log 2>&1 \
	  || { tail -n 40 $(VENV)/install.log; echo "digitpad: installing failed; full log in $(VENV)/install.log"; exit 1; }
	@touch $(STAMP)
	@echo "digitpad: ready."

# The GUI's translations (README: Languages). The .qm files are committed too, so
# `pip install .` of a fresh clone ships them; this rule rebuilds one whenever its .ts
# is edited. English is the source language: its .ts holds only the plural forms
# ("%Ln sample(s)": "1 sample", "2 samples"), as `lupdate -pluralonly` extracts them.
TS := assets/translations/digitpad_zh_CN.ts
TS_EN := assets/translations/digitpad_en.ts
QM := $(TS:.ts=.qm) $(TS_EN:.ts=.qm)
translations: $(QM)

assets/translations/%.qm: assets/translations/%.ts | $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

# After changing a GUI text or a core message: extract the strings again (new ones
# arrive unfinished). The core has no tr calls: model/messages.py lists its templates.
GUI_SOURCES = $$(find gui -name '*.py' | sort)
lupdate: $(STAMP)
	$(BIN)/python -m model.messages gui/core_messages.py && $(BIN)/ruff format --quiet gui/core_messages.py
	$(BIN)/pyside6-lupdate -silent -locations none -no-obsolete $(GUI_SOURCES) -ts $(TS)
	$(BIN)/pyside6-lupdate -silent -locations none -no-obsolete -pluralonly -source-language en \
	  $(GUI_SOURCES) -ts $(TS_EN)

run: $(STAMP) $(QM)
	$(BIN)/digitpad

test: $(STAMP) $(QM)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest
	$(BIN)/ruff check model gui tests bench

lint: $(STAMP)
	$(BIN)/ruff check model gui tests bench
	$(BIN)/ruff format --check model gui tests bench

# Figures for the closing notes; needs the full MNIST (../shared/data or DIGITPAD_DATA).
DATA ?= ../shared/data
bench: $(STAMP)
	$(BIN)/python bench/train_speed.py --data $(DATA)
	$(BIN)/python bench/cnn.py --data $(DATA)
	$(BIN)/python bench/memory.py --data $(DATA)
	$(BIN)/python bench/predict_latency.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/gui_responsiveness.py --data $(DATA)
	$(BIN)/python bench/evaluate_gui.py --data $(DATA)
	$(BIN)/python bench/gallery.py

# On a machine with an NVIDIA GPU: the captured step's tests (skipped elsewhere),
# then the GPU figures (the tutorial recipe, the cnn recipe, the augmented step three ways).
bench-gpu: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/model/test_steps.py
	$(BIN)/python bench/train_speed.py --data $(DATA) --no-tutorial
	$(BIN)/python bench/cnn.py --data $(DATA)
	$(BIN)/python bench/augment_speed.py --data $(DATA) --no-epochs

# The README's pictures, from the real app (offscreen unless DISPLAY is set), in English
# and Chinese: a real run on the full MNIST ($(DATA)); the tests' subset is refused.
screenshots: $(STAMP) $(QM)
	$(BIN)/python -m gui.screenshots assets/screenshots --data $(DATA)

# The shipped models, exactly as assets/models/*.md describe them. The cnn is two cnns
# (seeds 0 and 1) trained on MNIST + the shipped real pen digits (assets/pen_digits/:
# UNIPEN apb, gmd, uqb) with augmented batches, combined into one averaging model; its
# real-pen figures come from the other nine UNIPEN collections ($(PEN)).
# `make -j2 models` trains the two members side by side.
PEN ?= ../shared/data/unipen
CNN_RECIPE := --model cnn --epochs 6 --batch-size 128 --optimizer adam --lr 0.005 \
	--schedule onecycle --augment --pen-digits --data $(DATA)
models: model-mlp model-cnn

model-mlp: $(STAMP)
	$(BIN)/digitpad train --model mlp --data $(DATA) --seed 0 --out assets/models/mlp.pt
	$(BIN)/digitpad info assets/models/mlp.pt > assets/models/mlp.md

model-cnn: $(STAMP) build/cnn-seed0.pt build/cnn-seed1.pt
	$(BIN)/python -m model.ensemble build/cnn-seed0.pt build/cnn-seed1.pt --data $(DATA) --out assets/models/cnn.pt
	$(BIN)/python bench/card_real_pen.py assets/models/cnn.pt --data $(PEN) --trained-on apb gmd uqb
	$(BIN)/digitpad info assets/models/cnn.pt > assets/models/cnn.md

build/cnn-seed%.pt: $(STAMP) FORCE
	@mkdir -p build
	$(BIN)/digitpad train $(CNN_RECIPE) --seed $* --out $@

FORCE:

# The real pen digits shipped for training (assets/pen_digits/README.md), byte for byte.
pen-digits: $(STAMP)
	$(BIN)/python -c "from model.pen_training import TRAIN_COLLECTIONS, shipped_pen_digits, write_subset; write_subset('$(PEN)', shipped_pen_digits(), TRAIN_COLLECTIONS)"
	$(BIN)/python -c "from model.pen_training import HELD_OUT_COLLECTIONS, write_subset; from model.paths import shipped_held_out_pen_digits as p; write_subset('$(PEN)', p(), HELD_OUT_COLLECTIONS)"

# The part of MNIST shipped for Personalize (assets/mnist/README.md), byte for byte.
mnist-part: $(STAMP)
	$(BIN)/python -c "from model.data import write_part; write_part('$(DATA)', 'assets/mnist')"

# The installable wheel (see README: Install as an app).
dist: $(STAMP) $(QM)
	$(BIN)/python -m pip wheel --no-deps --no-build-isolation --quiet -w dist .
	@ls dist/*.whl

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info build dist
