# Commandes du projet. Chaque cible crée au besoin l'environnement virtuel .venv
# (Python 3.11) et y installe les dépendances déclarées dans pyproject.toml.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TERRITOIRE ?=
ADDR ?= 127.0.0.1:8000
CHECK_ARGS ?=
BENCH_ARGS ?=
# Nu Html Checker (paquet npm vnu-jar, exécuté par Java) pour les tests de validité HTML.
VNU_VERSION := 26.9.27
VNU_JAR := .cache/outils/node_modules/vnu-jar/build/dist/vnu.jar
APT_INSTALL := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

.PHONY: serve site check test lint bench browser-deps quality-deps clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

serve: $(STAMP) ## Aperçu local avec rechargement automatique
	NO_MKDOCS_2_WARNING=1 $(BIN)/ti serve --adresse $(ADDR) $(if $(TERRITOIRE),--territoire $(TERRITOIRE)) $(if $(BROUILLONS),--brouillons)

site: $(STAMP) ## Construit le site public dans site/ (mode strict)
	NO_MKDOCS_2_WARNING=1 $(BIN)/ti build $(if $(TERRITOIRE),--territoire $(TERRITOIRE))

check: $(STAMP) ## Valide le contenu, puis vérifie que le site se construit (rien n'est publié)
	$(BIN)/ti check $(CHECK_ARGS)

lint: $(STAMP) ## ruff (lint et format) et mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

browser-deps: ## Installe Chromium et son pilote (paquets Debian) si absents
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || \
	  ($(APT_INSTALL) chromium chromium-driver)

$(VNU_JAR):
	@command -v java >/dev/null 2>&1 || ($(APT_INSTALL) default-jre-headless)
	@command -v npm >/dev/null 2>&1 || ($(APT_INSTALL) npm)
	npm install --silent --no-save --no-audit --no-fund --ignore-scripts \
	  --prefix .cache/outils vnu-jar@$(VNU_VERSION)
	@test -f $@

quality-deps: browser-deps $(VNU_JAR) ## Chromium, Java et le Nu Html Checker

test: $(STAMP) quality-deps ## Lance toute la suite de tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	NO_MKDOCS_2_WARNING=1 VNU_JAR=$(CURDIR)/$(VNU_JAR) $(BIN)/python -m pytest

bench: $(STAMP) ## Mesures de performance (BENCH_ARGS="--repetitions 2" par exemple)
	NO_MKDOCS_2_WARNING=1 $(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf site .venv .pytest_cache
