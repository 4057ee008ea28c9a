# Commandes du projet. Chaque cible crée au besoin l'environnement virtuel .venv
# (Python 3.11) et y installe les dépendances déclarées dans pyproject.toml.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TERRITOIRE ?=
ADDR ?= 127.0.0.1:8000
CHECK_ARGS ?=

.PHONY: serve site check test lint bench browser-deps clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

serve: $(STAMP) ## Aperçu local avec rechargement automatique
	NO_MKDOCS_2_WARNING=1 $(BIN)/ti serve --adresse $(ADDR) $(if $(TERRITOIRE),--territoire $(TERRITOIRE)) $(if $(BROUILLONS),--brouillons)

site: $(STAMP) ## Construit le site public dans site/ (mode strict)
	NO_MKDOCS_2_WARNING=1 $(BIN)/ti build $(if $(TERRITOIRE),--territoire $(TERRITOIRE))

check: $(STAMP) ## Valide le contenu sans construire le site
	$(BIN)/ti check $(CHECK_ARGS)

lint: $(STAMP) ## ruff (lint et format) et mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

browser-deps: ## Installe Chromium et son pilote (paquets Debian) si absents
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

test: $(STAMP) browser-deps ## Lance toute la suite de tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf site .venv .pytest_cache
