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
# pytest-xdist : un processus de tests par cœur (quatre au plus : chacun construit ses sites et
# lance son Chromium) ; les tests d'un même fichier restent ensemble (ils partagent les sites
# construits par module et le `ti serve` des tests de l'éditeur), les plus longs d'abord (voir
# pytest_collection_modifyitems, tests/conftest.py).
PARALLELE ?= -n auto --maxprocesses 4 --dist loadfile --no-loadscope-reorder
# Nu Html Checker (paquet npm vnu-jar, exécuté par Java) pour les tests de validité HTML.
VNU_VERSION := 26.9.27
VNU_JAR := .cache/outils/node_modules/vnu-jar/build/dist/vnu.jar
# doiuse-email (données de caniemail.com) : ce que Gmail et Outlook acceptent d'un courriel.
# Un dossier à part : npm retire d'un dossier les paquets installés avant sans package.json.
DOIUSE_EMAIL_VERSION := 0.4.1
DOIUSE_EMAIL := .cache/outils/courriel/node_modules/doiuse-email/bin/cli.js
APT_INSTALL := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
# Éditeur web (Decap CMS, versions et empreintes dans scripts/installer_editeur.py) et son
# serveur local (decap-server), qui enregistre dans les fichiers du dépôt.
EDITEUR := .cache/editeur/versions.txt
DECAP_SERVER_VERSION := 3.11.3
DECAP_SERVER := .cache/serveur-editeur/node_modules/decap-server/dist/index.js
# Pagefind 1.6 (npm) pour l'index de recherche : sa sortie est la même d'une construction à
# l'autre (noms et octets). Version et empreintes fixées par scripts/pagefind/package-lock.json
# (npm ci les vérifie). Sans npm, la construction prend celui de PyPI (1.5), dont les noms de
# fichiers changent à chaque fois.
PAGEFIND := .cache/outils/pagefind/installe
PAGEFIND_SI_POSSIBLE = @if command -v npm >/dev/null 2>&1; then \
  $(MAKE) -s --no-print-directory $(PAGEFIND) || \
  echo "Pagefind 1.6 non installé depuis npm : la recherche prend le Pagefind déjà installé, sinon celui de PyPI (1.5)."; \
  else test -f $(PAGEFIND) || \
  echo "Pagefind 1.6 non installé (npm absent ; make pagefind l'installe) : la recherche prend celui de PyPI (1.5)."; fi

.PHONY: serve site check test test-rapide lint bench browser-deps quality-deps editeur editeur-local pagefind clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# PyICU (noms sosies, Unicode TR39) se compile avec la bibliothèque ICU du système
	@pkg-config --exists icu-uc icu-i18n 2>/dev/null && command -v g++ >/dev/null 2>&1 || \
	  ($(APT_INSTALL) libicu-dev pkg-config g++)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

serve: $(STAMP) ## Aperçu local avec rechargement automatique (et l'éditeur web sur /admin/)
	$(PAGEFIND_SI_POSSIBLE)
	@$(MAKE) --no-print-directory $(EDITEUR) || \
	  echo "Éditeur web non installé (npm indisponible) : l'aperçu est servi sans /admin/."
	NO_MKDOCS_2_WARNING=1 $(BIN)/ti serve --adresse $(ADDR) $(if $(TERRITOIRE),--territoire $(TERRITOIRE)) $(if $(BROUILLONS),--brouillons)

# Avec le bloc « edition » de site.yml, le site publié contient l'éditeur web : il est installé.
EDITEUR_SI_ACTIVE = @if grep -q '^edition:' site.yml 2>/dev/null; then $(MAKE) --no-print-directory $(EDITEUR); fi

site: $(STAMP) ## Construit le site public dans site/ (mode strict)
	$(PAGEFIND_SI_POSSIBLE)
	$(EDITEUR_SI_ACTIVE)
	NO_MKDOCS_2_WARNING=1 $(BIN)/ti build $(if $(TERRITOIRE),--territoire $(TERRITOIRE))

check: $(STAMP) ## Valide le contenu, puis vérifie que le site se construit (rien n'est publié)
	$(PAGEFIND_SI_POSSIBLE)
	$(EDITEUR_SI_ACTIVE)
	$(BIN)/ti check $(CHECK_ARGS)

lint: $(STAMP) ## ruff (lint et format) et mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

$(EDITEUR): scripts/installer_editeur.py | $(STAMP)
	@command -v npm >/dev/null 2>&1 || ($(APT_INSTALL) npm)
	$(BIN)/python scripts/installer_editeur.py

editeur: $(STAMP) $(EDITEUR) ## Installe l'éditeur web (Decap CMS, depuis npm, versions vérifiées)

$(DECAP_SERVER):
	@command -v npm >/dev/null 2>&1 || ($(APT_INSTALL) npm)
	npm install --silent --no-save --no-audit --no-fund --ignore-scripts \
	  --prefix .cache/serveur-editeur decap-server@$(DECAP_SERVER_VERSION)
	@test -f $@

# LOG_LEVEL=warn : decap-server n'écrit que ses erreurs (en anglais), pas ses messages d'information
editeur-local: $(DECAP_SERVER) ## Serveur local de l'éditeur : /admin/ de `make serve` enregistre dans vos fichiers
	@echo "Serveur local de l'éditeur (decap-server) sur 127.0.0.1:8081 : il enregistre dans $(CURDIR)."
	@echo "Ouvrez http://$(ADDR)/admin/ (après make serve), « Se connecter » ; Ctrl+C pour arrêter."
	@PORT=8081 BIND_HOST=127.0.0.1 LOG_LEVEL=warn GIT_REPO_DIRECTORY=$(CURDIR) node $(DECAP_SERVER)

# chromium-headless-shell : le Chromium sans fenêtres que lancent les tests (chaque page lui coûte
# trois fois moins de processeur qu'au navigateur complet) ; là où ce paquet n'existe pas, les
# tests lancent le navigateur complet (chromium).
browser-deps: ## Installe Chromium (paquets Debian chromium, chromium-driver et chromium-headless-shell) si absents
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || \
	  ($(APT_INSTALL) chromium chromium-driver)
	@command -v chromium-headless-shell >/dev/null 2>&1 || \
	  ($(APT_INSTALL) chromium-headless-shell) || \
	  echo "chromium-headless-shell indisponible : les tests du navigateur lanceront chromium."

# Le paquet npm « pagefind » apporte le programme de la plateforme (@pagefind/linux-x64…) ;
# la construction le lance directement (tisite.publish.searchindex.program), sans Node.js.
# Installé à côté, puis mis à la place : un échec garde le Pagefind déjà installé.
$(PAGEFIND): scripts/pagefind/package.json scripts/pagefind/package-lock.json
	@command -v npm >/dev/null 2>&1 || ($(APT_INSTALL) npm)
	rm -rf .cache/outils/pagefind.tmp && mkdir -p .cache/outils/pagefind.tmp
	cp scripts/pagefind/package.json scripts/pagefind/package-lock.json .cache/outils/pagefind.tmp/
	npm ci --silent --no-audit --no-fund --ignore-scripts --prefix .cache/outils/pagefind.tmp
	@for f in .cache/outils/pagefind.tmp/node_modules/@pagefind/*/bin/pagefind_extended \
	  .cache/outils/pagefind.tmp/node_modules/@pagefind/*/bin/pagefind; do \
	  test -x "$$f" && exit 0; done; echo "Pagefind : aucun programme pour cette plateforme."; exit 1
	rm -rf .cache/outils/pagefind && mv .cache/outils/pagefind.tmp .cache/outils/pagefind
	@touch $@

pagefind: $(PAGEFIND) ## Installe Pagefind 1.6 (npm, empreintes vérifiées), dont l'index est le même d'une construction à l'autre

$(VNU_JAR):
	@command -v java >/dev/null 2>&1 || ($(APT_INSTALL) default-jre-headless)
	@command -v npm >/dev/null 2>&1 || ($(APT_INSTALL) npm)
	npm install --silent --no-save --no-audit --no-fund --ignore-scripts \
	  --prefix .cache/outils vnu-jar@$(VNU_VERSION)
	@test -f $@

$(DOIUSE_EMAIL):
	@command -v npm >/dev/null 2>&1 || ($(APT_INSTALL) npm)
	npm install --silent --no-save --no-audit --no-fund --ignore-scripts \
	  --prefix .cache/outils/courriel doiuse-email@$(DOIUSE_EMAIL_VERSION)
	@test -f $@

quality-deps: browser-deps $(PAGEFIND) $(VNU_JAR) $(DOIUSE_EMAIL) $(EDITEUR) $(DECAP_SERVER) ## Chromium, Pagefind 1.6, Java, le Nu Html Checker, doiuse-email et l'éditeur web

test: $(STAMP) quality-deps ## Lance toute la suite de tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	NO_MKDOCS_2_WARNING=1 VNU_JAR=$(CURDIR)/$(VNU_JAR) DOIUSE_EMAIL=$(CURDIR)/$(DOIUSE_EMAIL) $(BIN)/python -m pytest $(PARALLELE)

# Sans Java, Chromium, npm ni Node.js (un clone neuf suffit) : les marqueurs de pyproject.toml.
test-rapide: $(STAMP) ## Les tests rapides (moins d'une minute) : ni navigateur, ni Nu Html Checker, ni doiuse-email, ni Pagefind 1.6, ni éditeur web, ni mesure, ni tests lents, ni processus ti
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m pytest $(PARALLELE) -q -m "not browser and not bench and not nu and not courriel and not pagefind and not editeur and not lent and not processus"

bench: $(STAMP) ## Mesures de performance (BENCH_ARGS="--tailles 10 --repetitions 5" par exemple)
	$(PAGEFIND_SI_POSSIBLE)
	NO_MKDOCS_2_WARNING=1 $(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf site .venv .pytest_cache
