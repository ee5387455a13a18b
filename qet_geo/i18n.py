"""Messages in the user's language: French or English.

The library keeps its data in English (reasons in the rejects file and the JSON report are
stable keys for scripts); what is shown to a person — error messages, the text report, the
command line — goes through :func:`tr`, which gives French when the language is French.

The French catalogue ``_FR_EXACT`` is keyed by message id, the English text: a fixed
message, or a template with ``{fields}`` (``tr("{n} rows rejected", n=3)``). A message whose
values are filled in where the problem is found and kept as data (a :class:`~qet_geo.errors.Problem` reason)
is a :class:`Message`: its English text, with its template and values, translated by the
template. There is no regex over English text: a message formatted before translation is
shown in English; a value that is a message is translated as a :class:`Message` nested, and
a count said with grouped digits is a :class:`Count`.

The language is, in order: :func:`set_language`, ``QET_GEO_LANG``, then the locale
variables ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` (``fr_FR.UTF-8`` → French); else English.
The QGIS plugin sets it from QGIS's own locale.
"""

from __future__ import annotations

import os
import re

_language: str | None = None


class Message(str):
    """An English message made from a catalogue template and its values.

    It *is* the formatted English text — what the rejects file, the JSON report and every
    ``==`` see, so data files keep their exact English — and it keeps its message id
    (``template``, the English text with ``{fields}``, a key of the catalogue) and
    ``values``: :func:`tr` translates the template, then formats the values (a value that
    is itself a :class:`Message` is translated too), never re-parsing the text.
    ``Message("the row has {fields} field(s)", fields=3)`` is ``"the row has 3 field(s)"``.
    """

    template: str
    values: dict

    def __new__(cls, template: str, /, **values) -> Message:
        self = super().__new__(cls, template.format(**values))
        self.template = template
        self.values = values
        return self

    def __reduce__(self):  # pickle and deepcopy (dataclasses.asdict) keep the message id
        return (_message, (self.template, self.values))


def _message(template: str, values: dict) -> Message:
    return Message(template, **values)


class Count(int):
    """A whole number said with its digits grouped by thousands: ``{n}`` is ``1,234,567``
    in English and ``1 234 567`` in French (narrow no-break spaces), as :func:`translate`
    formats it; a format spec (``{n:d}``) is ``int``'s."""

    _separator = ","

    def __format__(self, spec: str) -> str:
        if spec:
            return int.__format__(int(self), spec)
        return format(int(self), ",").replace(",", self._separator)


class _FrenchCount(Count):
    _separator = "\u202f"


# Exact messages and fixed words.
_FR_EXACT = {
    "random_state or seed, not both (seed = {seed})": "random_state ou seed, pas les deux (seed = {seed})",
    "row": "ligne",
    "column": "colonne",
    "value": "valeur",
    "expected": "attendu",
    "did you mean": "vouliez-vous dire",
    "and": "et",
    "more problem(s)": "autre(s) problème(s)",
    "File": "Fichier",
    "Schema": "Schéma",
    "Rows read": "Lignes lues",
    "Accepted": "Acceptées",
    "Rejected": "Rejetées",
    "Location": "Localisation",
    "Columns": "Colonnes",
    "delimiter": "séparateur",
    "tab": "tabulation",
    "Optional questions not in the file": "Questions facultatives absentes du fichier",
    "Unknown columns (not imported)": "Colonnes inconnues (non importées)",
    "Duplicate ids": "Identifiants en double",
    "Problems": "Problèmes",
    "and {n} more (see the rejects file or --json)": "et {n} de plus (voir le fichier des rejets ou --json)",
    "{n} respondents written to {path}": "{n} répondants écrits dans {path}",
    "{n} rows rejected, see {path}": "{n} lignes rejetées, voir {path}",
    "error": "erreur",
    # reasons
    "file not found": "fichier introuvable",
    "{rest} or {last}": "{rest} ou {last}",
    "raking weights need the census margins (--census)": "le calage demande les marges du recensement (--census)",
    "not computable": "non calculable",
    "unknown method {method}; expected one of {methods}": "méthode inconnue {method} ; méthodes possibles : {methods}",
    "poster size {size}: expected one of {sizes}": "format d'affiche {size} : formats possibles : {sizes}",
    "weights must be one of {modes}, not {weights}": "les poids sont l'un de {modes}, pas {weights}",
    "a GeoPackage": "un GeoPackage",
    "the values of the answers' bands (a list of numbers)": "les valeurs des classes de réponses (une liste de nombres)",
    "is a folder, expected a file": "est un dossier, un fichier est attendu",
    "the file is empty": "le fichier est vide",
    "the sheet is empty": "la feuille est vide",
    "the file has a header but no answers": "le fichier a un en-tête mais aucune réponse",
    "this is a zipped file (XLSX or ODS spreadsheet?), not text": "c'est un fichier compressé (classeur XLSX ou ODS ?), pas du texte",
    "the file is UTF-16 encoded": "le fichier est encodé en UTF-16",
    "the file contains NUL bytes: binary or UTF-16, not a text export": "le fichier contient des octets NUL : binaire ou UTF-16, pas un export texte",
    "byte is neither UTF-8 nor Windows-1252 text": "octet qui n'est ni de l'UTF-8 ni du Windows-1252",
    "no delimiter found: the header is a single column": "aucun séparateur trouvé : l'en-tête n'a qu'une colonne",
    "the layer has no coordinate reference system": "la couche n'a pas de système de coordonnées",
    "the layer does not hold points": "la couche ne contient pas des points",
    "the layer has no features": "la couche n'a aucune entité",
    "missing answer": "réponse manquante",
    "unknown answer": "réponse inconnue",
    "not a number": "pas un nombre",
    "number out of range": "nombre hors limites",
    "missing respondent id": "identifiant de répondant manquant",
    "no respondent id column": "pas de colonne d'identifiant de répondant",
    "duplicate respondent id": "identifiant de répondant en double",
    "missing area code": "code de zone manquant",
    "missing point": "point manquant",
    "several points for one respondent": "plusieurs points pour un répondant",
    "missing coordinate": "coordonnée manquante",
    "coordinate is not a number": "la coordonnée n'est pas un nombre",
    "latitude out of range": "latitude hors limites",
    "longitude out of range": "longitude hors limites",
    "longitude and latitude look swapped": "longitude et latitude semblent inversées",
    "location outside the expected extent": "localisation hors de l'emprise attendue",
    "location outside the expected extent (France métropolitaine and overseas departments)": "localisation hors de l'emprise attendue (France métropolitaine et départements d'outre-mer)",
    "x/y columns need a coordinate reference system": "les colonnes x/y demandent un système de coordonnées",
    "the file has no point geometry": "le fichier n'a pas de géométrie ponctuelle",
    "no such column": "colonne inexistante",
    "malformed row": "ligne mal formée",
    "missing location": "localisation manquante",
    "bad location": "localisation invalide",
    "coordinates out of range": "coordonnées hors limites",
    "coordinates swapped": "coordonnées inversées",
    "location outside extent": "localisation hors emprise",
    "ambiguous answer": "réponse ambiguë",
    # expected
    "a header row and one row per respondent": "une ligne d'en-tête et une ligne par répondant",
    "one row per respondent below the header": "une ligne par répondant sous l'en-tête",
    "a .xlsx or .ods suffix for spreadsheets, or a CSV/TSV export": "l'extension .xlsx ou .ods pour un classeur, ou un export CSV/TSV",
    "UTF-8 or Windows-1252 text (re-export as 'CSV UTF-8')": "du texte UTF-8 ou Windows-1252 (réexporter en « CSV UTF-8 »)",
    "UTF-8 or Windows-1252 text": "du texte UTF-8 ou Windows-1252",
    "one encoding for the whole file (re-export as 'CSV UTF-8')": "un seul encodage pour tout le fichier (réexporter en « CSV UTF-8 »)",
    "the original export, or re-save it with the right encoding": "l'export d'origine, ou le réenregistrer avec le bon encodage",
    "columns separated by ',', ';' or tabs": "des colonnes séparées par « , », « ; » ou des tabulations",
    "a layer with a CRS (set it in QGIS, then re-save)": "une couche avec un SCR (le définir dans QGIS, puis réenregistrer)",
    "a point layer (one point per respondent's home)": "une couche de points (un point par logement de répondant)",
    "one feature per respondent": "une entité par répondant",
    "an id on every row": "un identifiant sur chaque ligne",
    "a unique id per respondent": "un identifiant unique par répondant",
    "an area code (e.g. IRIS code)": "un code de zone (par ex. code IRIS)",
    "a point": "un point",
    "one point": "un seul point",
    "a number": "un nombre",
    "a number such as 2.3522 or 2,3522": "un nombre comme 2.3522 ou 2,3522",
    "a latitude between -90 and 90": "une latitude entre -90 et 90",
    "a longitude between -180 and 180": "une longitude entre -180 et 180",
    "longitude in the x/lon column and latitude in the y/lat column": "la longitude dans la colonne x/lon et la latitude dans la colonne y/lat",
    "a home in the surveyed area": "un logement dans la zone enquêtée",
    "a CRS such as EPSG:2154 (Lambert-93)": "un SCR comme EPSG:2154 (Lambert-93)",
    "a CRS such as EPSG:2154": "un SCR comme EPSG:2154",
    "a point layer, or lon/lat, x/y or area columns": "une couche de points, ou des colonnes lon/lat, x/y ou code de zone",
    "any text": "un texte",
    "a quote opened on this row is never closed and runs over the next rows": "un guillemet ouvert sur cette ligne n'est jamais fermé et déborde sur les lignes suivantes",
    'quotes in pairs around a value ("…"), or no quote': "des guillemets par paires autour d'une valeur (« … »), ou aucun",
    "the header on the first row (remove the lines above it)": "l'en-tête sur la première ligne (supprimer les lignes au-dessus)",
    "no such sheet": "feuille inexistante",
    "the file has several layers": "le fichier a plusieurs couches",
    "coordinates in the CRS given": "des coordonnées dans le SCR indiqué",
    "one column per question (rename or remove the others)": "une colonne par question (renommer ou supprimer les autres)",
    "no column recognised as longitude/latitude, x/y or area code "
    "(name them with --x/--y or --area)": "aucune colonne reconnue comme longitude/latitude, x/y ou code de zone "
    "(les désigner avec --x/--y ou --area)",
    "{path}: is the input file; choose another output": "{path} : c'est le fichier d'entrée ; choisissez une autre sortie",
    "{path}: respondents and rejects cannot share a file (except a GeoPackage, "
    "where they are two layers)": "{path} : répondants et rejets ne peuvent partager un fichier (sauf un GeoPackage, "
    "où ce sont deux couches)",
    "GeoJSON needs point locations; use .csv or .gpkg": "le GeoJSON demande des points ; utilisez .csv ou .gpkg",
    "cannot write: {error}": "écriture impossible : {error}",
    "unknown output format {suffix}; expected one of {formats}": "format de sortie inconnu {suffix} ; formats possibles : {formats}",
    "no such schema file, and not a built-in schema (built-in: {names})": "fichier de schéma introuvable, et pas un schéma intégré (intégrés : {names})",
    "not valid {format}: {error}": "{format} invalide : {error}",
    "warning": "avertissement",
    "Footprints (kgCO2e/yr, {model}), {n} situations": "Empreintes (kgCO2e/an, {model}), {n} situations",
    "expected a JSON array of situations": "un tableau JSON de situations est attendu",
    "an item is not a situation object": "un élément n'est pas un objet situation",
    "not one of the NGC actions qet-geo evaluates": "pas une des actions NGC qu'évalue qet-geo",
    "Footprints (kgCO2e/yr, {model}), {n} respondents: mean [low–high]": "Empreintes (kgCO2e/an, {model}), {n} répondants : moyenne [basse–haute]",
    "{n} rows rejected: see qet-geo survey check": "{n} lignes rejetées : voir qet-geo survey check",
    "missing column for the footprint of {usage}": "colonne manquante pour l'empreinte {usage}",
    "the SU answer codes 1, 2, 3": "les codes de réponse SU 1, 2, 3",
    "unknown SU answer code": "code de réponse SU inconnu",
    "1, 2 or 3": "1, 2 ou 3",
    "row {n}": "ligne {n}",
    "Footprints (kgCO2e/yr) computed by NGC, {n} results": "Empreintes (kgCO2e/an) calculées par NGC, {n} résultats",
    "not an NGC result table": "pas un tableau de résultats NGC",
    "columns total, transport, alimentation, logement, divers "
    "(or total carbone, transport carbone…)": "des colonnes total, transport, alimentation, logement, divers "
    "(ou total carbone, transport carbone…)",
    "NGC marked this result as invalid": "NGC a marqué ce résultat comme invalide",
    "missing value": "valeur manquante",
    "negative footprint": "empreinte négative",
    "a footprint in kgCO2e/yr (0 or more)": "une empreinte en kgCO2e/an (0 ou plus)",
    "NGC results give categories only: air, mobility, purchases and digital "
    "are inside transport and divers, and are left empty where their "
    "sub-categories are not all given (food is exact)": "les résultats NGC ne donnent que les catégories : avion, mobilité, achats et numérique "
    "sont compris dans transport et divers, et restent vides là où toutes leurs "
    "sous-catégories ne sont pas données (l'alimentation est exacte)",
    "sub-category columns named after NGC rules (transport . avion, "
    "divers . numérique…)": "des colonnes de sous-catégories nommées d'après les règles NGC (transport . avion, "
    "divers . numérique…)",
    "the total differs from the sum of the categories by more than rounding": "le total diffère de la somme des catégories de plus que l'arrondi",
    "total above 100,000 kgCO2e/yr: NGC leaves such results out of its statistics": "total au-dessus de 100 000 kgCO2e/an : NGC écarte ces résultats de ses statistiques",
    "an item has no computedResults with a bilan": "un élément n'a pas de computedResults avec un bilan",
    "{k} profiles ({method}), {n} respondents": "{k} profils ({method}), {n} répondants",
    "{n} respondents assigned to {k} profiles": "{n} répondants placés dans {k} profils",
    "written: {path}": "écrit : {path}",
    "{n} respondents left out (an answer missing)": "{n} répondants écartés (une réponse manque)",
    "The layer has no field {field} ({variable}); its fields: {fields}": "La couche n'a pas de champ {field} ({variable}) ; ses champs : {fields}",
    "stopped: {reason}": "arrêt : {reason}",
    "stability: adjusted Rand index {ari:.2f} over {n} resamples": "stabilité : indice de Rand ajusté {ari:.2f} sur {n} rééchantillonnages",
    "{n} answers far from every profile (outliers)": "{n} réponses loin de tous les profils (atypiques)",
    "{option}: expected profile=value pairs separated by ';', got {part!r}": "{option} : paires profil=valeur séparées par ';' attendues, reçu {part!r}",
    "{option}: profile {number} is given twice": "{option} : le profil {number} est donné deux fois",
    # issue 13, rough edges: empty profile names, street layers, time windows, wrong types
    "a value after '=' (profile=value)": "une valeur après « = » (profil=valeur)",
    "the street layer has no lines": "la couche des rues n'a aucune ligne",
    "a layer of street lines (LineString, MultiLineString)": "une couche de lignes de rues (LineString, MultiLineString)",
    "no departure in the time window: PTAL is 0 everywhere": "aucun départ dans la plage horaire : le PTAL vaut 0 partout",
    "a window between the first and the last departure of the day ({first} to {last}; after midnight: 24:00 and more)": "une plage entre le premier et le dernier départ du jour ({first} à {last} ; après minuit : 24:00 et plus)",
    "{function}(): {name} = {value}; expected {expected}": "{function}() : {name} = {value} ; attendu {expected}",
    "the areas of qg.read_areas(path, layer=…) or qg.areas_from_frame(frame) (Areas)": "les zones de qg.read_areas(chemin, layer=…) ou de qg.areas_from_frame(table) (Areas)",
    "a table of respondents (pandas DataFrame, e.g. qg.read_survey(path).respondents)": "une table de répondants (DataFrame pandas, par ex. qg.read_survey(chemin).respondents)",
    "a GTFS feed read by qg.read_gtfs(path) (Feed)": "un flux GTFS lu par qg.read_gtfs(chemin) (Feed)",
    "a path (str or pathlib.Path)": "un chemin (str ou pathlib.Path)",
    "the path of a TOML configuration, or the Config of qg.load_config(path)": "le chemin d'une configuration TOML, ou la Config de qg.load_config(chemin)",
    "the area map of qg.map_areas (AreaMap)": "la carte des zones de qg.map_areas (AreaMap)",
    "the area map of qg.map_areas (AreaMap), or the GeoPackage written from it": "la carte des zones de qg.map_areas (AreaMap), ou le GeoPackage écrit à partir d'elle",
    "a fitted ProfileModel, or the path of a model file": "un ProfileModel ajusté, ou le chemin d'un fichier de modèle",
    "the census of qg.read_census(path) (Census), or None": "le recensement de qg.read_census(chemin) (Census), ou None",
    "a table of polygons (GeoDataFrame, or DataFrame with a geometry column)": "une table de polygones (GeoDataFrame, ou DataFrame avec une colonne geometry)",
    "a mapping service name → layer (PATH[:LAYER], a point layer or an n × 2 array of x/y), or a list of PATH[:LAYER] each named by its layer": "un dictionnaire nom du service → couche (CHEMIN[:COUCHE], une couche de points ou un tableau n × 2 de x/y), ou une liste de CHEMIN[:COUCHE] nommés chacun par sa couche",
    "the transit access of qg.transit_access(feed, areas) (TransitAccess)": "l'accessibilité en transports de qg.transit_access(flux, zones) (TransitAccess)",
    "its table is .{attribute}": "sa table est .{attribute}",
    "read them first: qg.read_areas(path, layer=…)": "les lire d'abord : qg.read_areas(chemin, layer=…)",
    "a table of polygons: qg.areas_from_frame(frame)": "une table de polygones : qg.areas_from_frame(table)",
    "a file: qg.read_areas(path, layer=…)": "un fichier : qg.read_areas(chemin, layer=…)",
    "read it first: qg.read_census(path)": "le lire d'abord : qg.read_census(chemin)",
    "read it first: qg.read_gtfs(path)": "le lire d'abord : qg.read_gtfs(chemin)",
    "the feed comes first: transit_access(feed, areas)": "le flux vient en premier : transit_access(flux, zones)",
    "two layers named {name!r}": "deux couches nommées {name!r}",
    # the maps of .plot() in a notebook
    "Dominant profile": "Profil dominant",
    "Mean access index (PTAL)": "Indice d'accessibilité moyen (PTAL)",
    "PTAL band of the mean access index": "Classe PTAL de l'indice moyen",
    "Profile × transit access (bivariate class)": "Profil × accès aux transports (classe bivariée)",
    "Mean footprint of the five usages (kg CO2e per year)": "Empreinte moyenne des cinq usages (kg CO2e par an)",
    "Mean distance to {service} (m)": "Distance moyenne à {service} (m)",
    "Distance from the centre to {service} (m)": "Distance du centre à {service} (m)",
    "no clearly dominant profile": "aucun profil nettement dominant",
    "a layer given as a table has no name: give a mapping, e.g. dict(marches=table)": "une couche donnée comme table n'a pas de nom : donner un dictionnaire, par ex. dict(marches=table)",
    "profile names: {name!r} is given to profiles {profiles}; each profile needs a name of its own": "noms des profils : {name!r} est donné aux profils {profiles} ; chaque profil doit avoir son propre nom",
    "--weights: expected current, 2023 or a JSON file of weights ({error})": "--weights : current, 2023 ou un fichier JSON de poids attendu ({error})",
    "--k: expected a whole number or auto": "--k : un nombre entier ou auto attendu",
    "one profile only": "un seul profil",
    "{n} fitting respondent(s) ({share:.1%}) are nearer another profile's centroid than their own (assignment keeps their fitted profile)": "{n} répondant(s) de l'ajustement ({share:.1%}) sont plus près du centre d'un autre profil que du leur (l'affectation garde leur profil ajusté)",
    "profile {p} holds {n} respondent(s)": "le profil {p} compte {n} répondant(s)",
    "profile {p} holds {share:.0%} of the weight": "le profil {p} rassemble {share:.0%} du poids",
    "k = {k} is at the edge of the range tried ({low}–{high})": "k = {k} est au bord de l'intervalle essayé ({low}–{high})",
    "profile {p} is unstable (mean Jaccard {j:.2f} < 0.5 over {n} resamples)": "le profil {p} est instable (Jaccard moyen {j:.2f} < 0,5 sur {n} rééchantillonnages)",
    "distance between centroids (NEAR weights)": "distance entre centres (poids NEAR)",
    "Ward merge height": "hauteur de fusion (Ward)",
    "distinct answers (grouped)": "réponses distinctes (regroupées)",
    "Usage profiles": "Profils d'usages",
    "name": "nom",
    "respondents": "répondants",
    "share": "part",
    "NEAR number": "numéro NEAR",
    "description": "description",
    "stop: {k} profiles": "arrêt : {k} profils",
    "stability (mean Jaccard)": "stabilité (Jaccard moyen)",
    "{k} profiles, {n} respondents ({excluded} left out for a missing answer).": "{k} profils, {n} répondants ({excluded} écartés pour une réponse manquante).",
    "Profiles": "Profils",
    "Index scores (study = 100)": "Indices (ensemble = 100)",
    "index < 80 far below, 80–120 close to, 120–200 above, > 200 far above": "indice < 80 nettement en dessous, 80–120 proche, 120–200 au-dessus, > 200 nettement au-dessus",
    "Warnings": "Avertissements",
    "Mean footprints (kgCO2e/yr)": "Empreintes moyennes (kgCO2e/an)",
    "Choice of k": "Choix de k",
    "Adjusted Rand index {ari:.2f} (90 % of resamples between {low:.2f} and {high:.2f}) over {n} bootstrap resamples; a profile is stable from a mean Jaccard of 0.75, unstable under 0.5.": "Indice de Rand ajusté {ari:.2f} (90 % des rééchantillonnages entre {low:.2f} et {high:.2f}) sur {n} rééchantillonnages bootstrap ; un profil est stable à partir d'un Jaccard moyen de 0,75, instable en dessous de 0,5.",
    "Dendrogram": "Dendrogramme",
    "study": "ensemble",
    "Stability": "Stabilité",
    "tiny profile": "profil minuscule",
    "one profile holds nearly everyone": "un profil rassemble presque tout le monde",
    "single profile": "un seul profil",
    "nearest centroid differs": "centre le plus proche différent",
    "k at the edge of its range": "k au bord de son intervalle",
    "unstable profile": "profil instable",
    "stable": "stable",
    "doubtful": "douteux",
    "unstable": "instable",
    "missing answer column(s) for the profiles": "colonne(s) de réponse manquante(s) pour les profils",
    "answer code is not a whole number": "le code de réponse n'est pas un nombre entier",
    "not an answer code of the model": "pas un code de réponse du modèle",
    "empty profiles dropped": "profils vides retirés",
    "stability: no resample could be fitted": "stabilité : aucun rééchantillonnage n'a pu être ajusté",
    "--service: expected NAME=PATH[:LAYER], got {spec!r}": "--service : NOM=CHEMIN[:COUCHE] attendu, reçu {spec!r}",
    "--service {name}: no such file {path}": "--service {name} : fichier introuvable {path}",
    "{name}: {value!r} is not a date YYYY-MM-DD": "{name} : {value!r} n'est pas une date AAAA-MM-JJ",
    "{option}: expected distances in metres separated by commas": "{option} : des distances en mètres séparées par des virgules sont attendues",
    "{option} {names}: no such {services} layer": "{option} {names} : aucune couche {services} de ce nom",
    "give at least one service layer with --service NAME=PATH": "donner au moins une couche de services avec --service NOM=CHEMIN",
    "Proximity to {n} service layer(s) in {areas} areas": "Proximité de {n} couche(s) de services dans {areas} zones",
    "Cramér's V (profiles × PTAL band): {v} {ci}; Spearman (mobility footprint, AI): {rho} {ci2}": "V de Cramér (profils × classe PTAL) : {v} {ci} ; Spearman (empreinte mobilité, AI) : {rho} {ci2}",
    "--population-field: no field {field!r} in the population layer": "--population-field : pas de champ {field!r} dans la couche de population",
    "{option}: no such file {path}": "{option} : fichier introuvable {path}",
    "{option}: the layer has no coordinate reference system": "{option} : la couche n'a pas de système de coordonnées",
    "the service layer has no coordinate reference system": "la couche de services n'a pas de système de coordonnées",
    "no satisfaction column": "pas de colonne de satisfaction",
    "PTAL on {points} grid points ({spacing:g} m), service day {date} ({how}), window {start}–{end}": "PTAL sur {points} points de grille ({spacing:g} m), jour de service {date} ({how}), créneau {start}–{end}",
    "{routes} routes, {departures} departures in the window": "{routes} lignes, {departures} départs dans le créneau",
    "no profiles: give {model}, or respondents with a profile column": "pas de profils : donner {model}, ou des répondants avec une colonne profile",
    "given": "donné",
    "busiest weekday of the feed": "jour de semaine le plus chargé du flux",
    "the areas are in degrees; PTAL needs metres": "les zones sont en degrés ; le PTAL demande des mètres",
    "areas in a projected CRS, e.g. EPSG:2154 (Lambert-93)": "des zones dans un système projeté, par ex. EPSG:2154 (Lambert-93)",
    "areas smaller than the grid: no grid point falls in them": "zones plus petites que la grille : aucun point de grille n'y tombe",
    "not a GTFS zip or folder": "ni un zip ni un dossier GTFS",
    "missing GTFS file": "fichier GTFS manquant",
    "missing required GTFS field(s)": "champ(s) GTFS obligatoire(s) manquant(s)",
    "not a valid value": "valeur invalide",
    "not a GTFS time": "pas une heure GTFS",
    "HH:MM:SS (hours may pass 24, e.g. 25:10:00)": "HH:MM:SS (les heures peuvent dépasser 24, par ex. 25:10:00)",
    "not a GTFS date": "pas une date GTFS",
    "duplicate stop_id": "stop_id en double",
    "parent_station names no stop": "parent_station ne désigne aucun arrêt",
    "route_id names no route": "route_id ne désigne aucune ligne",
    "trip_id names no trip": "trip_id ne désigne aucun voyage",
    "stop_id names no stop": "stop_id ne désigne aucun arrêt",
    "no service calendar": "pas de calendrier de service",
    "calendar.txt and/or calendar_dates.txt": "calendar.txt et/ou calendar_dates.txt",
    "not a valid coordinate": "coordonnée invalide",
    "no weekday in the feed's validity": "aucun jour de semaine dans la validité du flux",
    "{joined} of {n} respondents mapped in {areas} areas ({join})": "{joined} répondants sur {n} cartographiés dans {areas} zones ({join})",
    "{areas} areas suppressed and {cells} cells (threshold {min_cell} respondents)": "{areas} zones et {cells} cases masquées (seuil {min_cell} répondants)",
    "points reprojected: {what}": "points reprojetés : {what}",
    "{n} points on a shared boundary, given to the area whose id sorts first": "{n} points sur une limite commune, donnés à la zone dont l'identifiant vient en premier",
    "raking: {iterations} cycles, largest gap {gap} points, {trimmed} weights capped": "calage : {iterations} cycles, plus grand écart {gap} points, {trimmed} poids plafonnés",
    "margin of error (95 %, p = 0.5): {e:.1%}; target sizes 3/4/5 %: {a}/{b}/{c}": "marge d'erreur (95 %, p = 0,5) : {e:.1%} ; tailles visées 3/4/5 % : {a}/{b}/{c}",
    "respondents outside every area (not mapped)": "répondants hors de toute zone (non cartographiés)",
    "respondents with an area code that names no area (not mapped)": "répondants au code de zone inconnu (non cartographiés)",
    "respondents without a location (not mapped)": "répondants sans localisation (non cartographiés)",
    "invalid geometry repaired": "géométrie invalide réparée",
    "duplicate area id": "identifiant de zone en double",
    "one polygon per id (dissolve them first, or choose another id field)": "un polygone par identifiant (les fusionner d'abord, ou choisir un autre champ identifiant)",
    "an area has no id": "une zone n'a pas d'identifiant",
    "an id": "un identifiant",
    "an area has no geometry": "une zone n'a pas de géométrie",
    "the areas are not polygons": "les zones ne sont pas des polygones",
    "Polygon or MultiPolygon": "Polygon ou MultiPolygon",
    "the areas have no coordinate reference system": "les zones n'ont pas de système de coordonnées",
    "a CRS": "un système de coordonnées",
    # the one CRS rule (qet_geo.geo.crs_of) and the areas of any container (areas.as_areas)
    "a CRS: a GeoDataFrame's, or attrs['crs'] of a plain frame (pandas' join, merge and concat drop it: set it again with qet_geo.geo.with_crs(frame, crs))": "un système de coordonnées : celui d'un GeoDataFrame, ou attrs['crs'] d'une table simple (join, merge et concat de pandas le perdent : le redonner par qet_geo.geo.with_crs(table, crs))",
    "not areas": "ce ne sont pas des zones",
    "Areas (qet_geo.read_areas), a GeoDataFrame of polygons, or a DataFrame with a geometry column of polygons and attrs['crs']": "des Areas (qet_geo.read_areas), un GeoDataFrame de polygones, ou un DataFrame avec une colonne geometry de polygones et attrs['crs']",
    "no id field of that name": "aucun champ identifiant de ce nom",
    "no name field of that name": "aucun champ nom de ce nom",
    "no id field recognised; choose one": "aucun champ identifiant reconnu ; en choisir un",
    "unknown area id in a neighbourhood": "identifiant de zone inconnu dans un quartier",
    "several layers: choose the areas layer": "plusieurs couches : choisir celle des zones",
    "no such layer": "couche introuvable",
    "the respondents have no point geometry": "les répondants n'ont pas de géométrie ponctuelle",
    "points, or an area code column": "des points, ou une colonne de code de zone",
    "the respondents' points have no coordinate reference system": "les points des répondants n'ont pas de système de coordonnées",
    "no area code column": "pas de colonne de code de zone",
    "point geometry, or a column of area codes (--code-field)": "des points, ou une colonne de codes de zone (--code-field)",
    "no IRIS code column": "pas de colonne de code IRIS",
    "no single population column of people aged 15 or more": "pas de colonne unique de population de 15 ans ou plus",
    "one column C<yy>_POP15P (e.g. C21_POP15P)": "une colonne C<aa>_POP15P (par ex. C21_POP15P)",
    "not a population count": "pas un effectif de population",
    "a number ≥ 0": "un nombre ≥ 0",
    "duplicate IRIS code": "code IRIS en double",
    "no profiles: give the profile model, or respondents with a profile column": "pas de profils : donner le modèle de profils, ou des répondants avec une colonne profile",
    "unknown": "inconnue",
    "identical answers in different profiles": "réponses identiques dans des profils différents",
    "{n} of the profiles asked for ended empty and were dropped": "{n} des profils demandés sont restés vides et ont été retirés",
    "NEAR stopped before its first merge: identical answers stay in different profiles, and assignment gives them the first one's": "NEAR s'est arrêté avant sa première fusion : des réponses identiques restent dans des profils différents, et l'affectation leur donne celui de la première",
    "codes 1, 2, 3": "les codes 1, 2, 3",
    "respondent weight must be a positive number": "le poids du répondant doit être un nombre positif",
    "a number > 0": "un nombre > 0",
    "no respondent with every answer of the profiles": "aucun répondant n'a toutes les réponses des profils",
    "not a qet-geo profile model": "pas un modèle de profils qet-geo",
    "unsupported profile model version": "version de modèle de profils non prise en charge",
    "profiles and centroids do not match k": "les profils et les centres ne correspondent pas à k",
    "one profile remains": "il reste un seul profil",
    "unknown section": "section inconnue",
    "unknown key": "clé inconnue",
    "missing": "manquant",
    "a file": "un fichier",
    "a TOML configuration": "une configuration TOML",
    "key = value lines under [section] headers": "des lignes clé = valeur sous des en-têtes [section]",
    "text in quotes": "un texte entre guillemets",
    "true or false": "true ou false",
    "a whole number": "un nombre entier",
    "a positive number": "un nombre positif",
    "a date YYYY-MM-DD": "une date AAAA-MM-JJ",
    "a path in quotes": "un chemin entre guillemets",
    "an existing file (relative to the configuration)": "un fichier existant (chemin relatif à la configuration)",
    'a table such as { name = "text" }': 'une table comme { nom = "texte" }',
    'a list such as ["file.gpkg:layer"]': 'une liste comme ["fichier.gpkg:couche"]',
    '["A3", "A0"], "A3", "A0" or false': '["A3", "A0"], "A3", "A0" ou false',
    "PATH or PATH:LAYER of a point layer": "CHEMIN ou CHEMIN:COUCHE d'une couche de points",
    "PATH or PATH:LAYER": "CHEMIN ou CHEMIN:COUCHE",
    "no such service in [proximity] services": "service absent de [proximity] services",
    "a [proximity] services table": "une table services dans [proximity]",
    "the comparison needs [transit] gtfs": "la comparaison demande [transit] gtfs",
    "a threshold under 3 needs allow_below_3 = true": "un seuil inférieur à 3 demande allow_below_3 = true",
    "is an input; choose another folder": "est une entrée ; choisir un autre dossier",
    "no row could be imported": "aucune ligne n'a pu être importée",
    "profile numbers expected as keys": "numéros de profils attendus comme clés",
    "Usage profiles of the neighbourhood": "Sphères d'Usages du quartier",
    "survey import": "import de l'enquête",
    "footprints (Nos Gestes Climat)": "empreintes (Nos Gestes Climat)",
    "usage profiles": "profils d'usages",
    "indicators by area": "indicateurs par zone",
    "transit access (PTAL)": "accès aux transports (PTAL)",
    "proximity to services": "proximité des services",
    "profiles against constraints": "profils et contraintes du lieu",
    "the diagnostic (EMdV, NGC)": "le diagnostic (EMdV, NGC)",
    "[diagnostic] su_data: NEAR's profiles are not this run's, so the diagnostic is not estimated per area nor set against the place, and the room for manoeuvre is not computed": "[diagnostic] su_data : les profils de NEAR ne sont pas ceux de ce traitement ; le diagnostic n'est donc ni estimé par zone ni mis en regard du lieu, et les marges de manœuvre ne sont pas calculées",
    "{survey}: {rejected} of {rows} rows rejected, each with its reasons in {file} (layer {layer})": "{survey} : {rejected} lignes rejetées sur {rows}, chacune avec ses raisons dans {file} (couche {layer})",
    "the diagnostic's posters (PDF and PNG)": "les affiches du diagnostic (PDF et PNG)",
    "not an area code": "pas un code de zone",
    "a service without its proximity file": "un service sans son fichier de proximité",
    "the proximity GeoPackage too (qet-geo constraints proximity)": "le GeoPackage de proximité aussi (qet-geo constraints proximity)",
    "a transit access GeoPackage (qet-geo transit ptal)": "un GeoPackage d'accès aux transports (qet-geo transit ptal)",
    "a proximity GeoPackage (qet-geo constraints proximity)": "un GeoPackage de proximité (qet-geo constraints proximity)",
    "no such service in the proximity file": "service absent du fichier de proximité",
    "a proximity GeoPackage": "un GeoPackage de proximité",
    "--ptal and --proximity set the areas' figures against the place: give the area map too (--areas)": "--ptal et --proximity mettent les chiffres des zones en regard du lieu : donnez aussi la carte par zone (--areas)",
    "see the layer {layer} of {file}": "voir la couche {layer} de {file}",
    "two columns named {column!r} (columns {first} and {second})": "deux colonnes nommées {column!r} (colonnes {first} et {second})",
    "most values of {column!r} are not WGS 84 degrees ({wrong} of {given})": "la plupart des valeurs de {column!r} ne sont pas des degrés WGS 84 ({wrong} sur {given})",
    "{expected}; projected coordinates (metres) are not read here": "{expected} ; des coordonnées projetées (mètres) ne sont pas lues ici",
    "{n} rows give a home location that is not one: their answers are kept, not located ({first})": "{n} lignes donnent un lieu de domicile qui n'en est pas un : leurs réponses sont gardées, sans lieu ({first})",
    "the longitude and latitude columns seem swapped": "les colonnes de longitude et de latitude semblent inversées",
    "{outside} of {n} home points outside every area, {inside} inside once swapped": "{outside} points de domicile sur {n} hors de toute zone, {inside} dedans une fois inversés",
    "the longitude (east–west, about 2.3 in Paris) in the longitude column": "la longitude (est–ouest, environ 2,3 à Paris) dans la colonne des longitudes",
    "{line}; codes the area map lacks: {codes}": "{line} ; codes absents de la carte : {codes}",
    "{line}; {n} codes read with their lost leading zeros": "{line} ; {n} codes lus avec leurs zéros initiaux perdus",
    "not an SU code": "pas un code SU",
    "the profile's number (2, or SU 2)": "le numéro du profil (2, ou SU 2)",
    "a code of the area map (an IRIS code such as 751145501)": "un code de la carte par zone (un code IRIS comme 751145501)",
    "a longitude without a latitude column": "une longitude sans colonne de latitude",
    "a latitude without a longitude column": "une latitude sans colonne de longitude",
    "a {missing} column too": "une colonne {missing} aussi",
    "half a home point": "la moitié d'un point de domicile",
    "the longitude and the latitude, or neither": "la longitude et la latitude, ou aucune des deux",
    "not a longitude": "pas une longitude",
    "not a latitude": "pas une latitude",
    "a number from {low} to {high} (WGS 84 degrees)": "un nombre de {low} à {high} (degrés WGS 84)",
    "{survey}: {located} respondents located in an area ({coded} by their area code, {pointed} by their home point), {unknown} with a code the area map lacks, {outside} outside every area, {none} not saying where they live": "{survey} : {located} répondants placés dans une zone ({coded} par leur code de zone, {pointed} par le point de leur domicile), {unknown} avec un code absent de la carte, {outside} hors de toute zone, {none} sans lieu de domicile",
    "the diagnostic: EMdV and NGC analyses (GeoPackage, CSV, report)": "le diagnostic : analyses EMdV et NGC (GeoPackage, CSV, rapport)",
    "the diagnostic's private working file (free texts, links: do not publish)": "le fichier de travail privé du diagnostic (textes libres, liens : à ne pas publier)",
    "{survey}: {accepted} answers imported, {rejected} rejected": "{survey} : {accepted} réponses importées, {rejected} rejetées",
    "emdv = FILE (the EMdV answers), ngc = FILE (the NGC answers) or both": "emdv = FICHIER (les réponses EMdV), ngc = FICHIER (les réponses NGC) ou les deux",
    "web map": "carte web",
    "posters": "affiches",
    "QGIS project": "projet QGIS",
    "respondents (private: one row per respondent)": "répondants (privé : une ligne par répondant)",
    "rejected rows": "lignes rejetées",
    "profile model, report and table": "modèle de profils, rapport et tableau",
    "indicators by area (GeoPackage and CSV)": "indicateurs par zone (GeoPackage et CSV)",
    "posters (PDF and PNG)": "affiches (PDF et PNG)",
    "posters as QGIS print layouts (.qpt)": "affiches en mises en page QGIS (.qpt)",
    "Done in {s:.1f} s. Outputs in {folder}:": "Terminé en {s:.1f} s. Sorties dans {folder} :",
    "{accepted} of {rows} rows imported ({rejected} rejected); {k} profiles; {mapped} respondents in {areas} areas, {suppressed} suppressed": "{accepted} lignes importées sur {rows} ({rejected} rejetées) ; {k} profils ; {mapped} répondants dans {areas} zones, dont {suppressed} masquées",
    "{path}: valid; steps: {steps}": "{path} : valide ; étapes : {steps}",
    "not an area map written by qet-geo": "pas une carte par zone écrite par qet-geo",
    "the layers area_indicators, profiles and study_summary": "les couches area_indicators, profiles et study_summary",
    "  {what}:": "  {what} :",
    "no transit service on this day": "aucun service de transport ce jour-là",
    "is a file, not a folder": "est un fichier, pas un dossier",
    "a folder for the outputs": "un dossier pour les sorties",
    "the output folder holds an input": "le dossier de sortie contient une entrée",
    "a folder of its own for the outputs (inputs are only read)": "un dossier à part pour les sorties (les entrées sont seulement lues)",
    "no such layer in the file": "couche absente du fichier",
    "k is for the other methods; near stops by its own rules": "k sert aux autres méthodes ; near s'arrête selon ses propres règles",
    "target_count with near": "target_count avec near",
    "a number of metres from 10": "un nombre de mètres à partir de 10",
    'a whole number from 2, or "auto"': 'un nombre entier à partir de 2, ou "auto"',
    "a sheet name or number": "un nom ou un numéro de feuille",
    "a time window HH:MM-HH:MM": "une plage horaire HH:MM-HH:MM",
    'a table such as { 1 = "…", 2 = "…" }': 'une table comme { 1 = "…", 2 = "…" }',
    'profile numbers as keys: { 1 = "…", 2 = "…" }': 'des numéros de profils comme clés : { 1 = "…", 2 = "…" }',
    'colours as "#RRGGBB"': 'des couleurs "#RRVVBB"',
    "names without ; or =": "des noms sans ; ni =",
    "a date YYYY-MM-DD (without a time)": "une date AAAA-MM-JJ (sans heure)",
    "a file, not a folder": "un fichier, pas un dossier",
    "no such profile": "ce profil n'existe pas",
    "a point layer cannot be a background (it could show respondents' homes)": "une couche de points ne peut pas servir de fond (elle pourrait montrer le domicile des répondants)",
    "lines or polygons": "des lignes ou des polygones",
    "Done in {s}. Outputs in {folder}:": "Terminé en {s}. Sorties dans {folder} :",
    "outputs in {folder}": "sorties dans {folder}",
    "no output to put in the project": "aucune sortie à mettre dans le projet",
    "the area map GeoPackage (layer area_indicators) and other qet-geo outputs": "le GeoPackage de la carte par zone (couche area_indicators) et d'autres sorties de qet-geo",
    # --- web map, HTML and templates
    "not a colour": "pas une couleur",
    'a colour "#RRGGBB"': 'une couleur "#RRVVBB"',
    "not a profile number": "pas un numéro de profil",
    # ---
    # --- CSV cells, published paths, private layers
    "not valid JSON: not UTF-8 text": "JSON invalide : texte qui n'est pas en UTF-8",
    "not valid JSON: nested too deeply": "JSON invalide : imbriqué trop profondément",
    "not valid TOML: nested too deeply": "TOML invalide : imbriqué trop profondément",
    "a JSON file in UTF-8": "un fichier JSON en UTF-8",
    "a GeoPackage saved again (QGIS: Export > Save Features As)": "un GeoPackage enregistré à nouveau (QGIS : Exporter > Sauvegarder les entités sous)",
    "a layer of the population itself (census squares, dwellings), never one made from the respondents' homes": "une couche de la population elle-même (carreaux du recensement, logements), jamais une couche faite des domiciles des répondants",
    "--respondents: {path} is not a respondents file written by qet-geo": "--respondents : {path} n'est pas un fichier de répondants écrit par qet-geo",
    "it is a respondents file written by qet-geo": "c'est un fichier de répondants écrit par qet-geo",
    "it is a point layer (points could show respondents' homes)": "c'est une couche de points (des points pourraient montrer le domicile des répondants)",
    "a layer of the place itself (streets, buildings, parks, a perimeter), never one made from the respondents' homes": "une couche du lieu lui-même (rues, bâtiments, parcs, un périmètre), jamais une couche faite des domiciles des répondants",
    "a layer of the services themselves (shops, markets, repair shops), never one made from the respondents' homes": "une couche des services eux-mêmes (commerces, marchés, réparateurs), jamais une couche faite des domiciles des répondants",
    # ---
    # --- disclosure of area tables
    "a --service layer whose points are people (homes): its counts are suppressed under --min-cell": "une couche --service dont les points sont des personnes (logements) : ses effectifs sont masqués sous --min-cell",
    # ---
    # --- disclosure of profiles and the model file
    "small profiles grouped": "petits profils regroupés",
    "complementary suppression": "secret complémentaire",
    "profiles under {n} respondents are not published as such: they are shown grouped as “{name}”, without portrait": "les profils de moins de {n} répondants ne sont pas publiés en tant que tels : ils sont montrés regroupés sous « {name} », sans portrait",
    "the size of profile {p} is not published either, so that the size of the small profiles grouped cannot be found by difference": "l'effectif du profil {p} n'est pas publié non plus, pour que celui des petits profils regroupés ne se retrouve pas par différence",
    "{m} profile(s) under {n} respondents (profiles {first} to {last}) are published grouped as “{name}”, without portrait": "{m} profil(s) de moins de {n} répondants (profils {first} à {last}) sont publiés regroupés sous « {name} », sans portrait",
    "written (private, not for publication): {path}": "écrit (privé, à ne pas publier) : {path}",
    "profile model, private working file (every answer vector: do not publish)": "modèle de profils, fichier de travail privé (toutes les combinaisons de réponses : à ne pas publier)",
    "unknown kind of model file": "type de fichier de modèle inconnu",
    "shareable or private": "shareable ou private",
    "{path}: the shareable and the private model need two files": "{path} : le modèle partageable et le modèle privé demandent deux fichiers",
    # ---
    # --- temporary files, manifests, inputs never overwritten
    "is an input of this command; choose another output (inputs are only read)": "est une entrée de cette commande ; choisissez une autre sortie (les entrées sont seulement lues)",
    "two outputs of this command are the same file; give each its own name": "deux sorties de cette commande sont le même fichier ; donnez à chacune son propre nom",
    "stopped (SIGTERM): the outputs are incomplete": "arrêté (SIGTERM) : les sorties sont incomplètes",
    "is not a folder": "n'est pas un dossier",
    "cannot create the temporary folder": "impossible de créer le dossier temporaire",
    "the run that wrote this folder did not finish: its outputs may be partial or out of date": "l'exécution qui a écrit ce dossier ne s'est pas terminée : ses sorties peuvent être partielles ou périmées",
    "run qet-geo run again until it ends, then export": "relancer qet-geo run jusqu'à son terme, puis exporter",
    # ---
    # --- reading limits
    "the inflated size in bytes": "la taille décompressée en octets",
    "the file's size in bytes": "la taille du fichier en octets",
    "the rows": "le nombre de lignes",
    "the cells (rows × columns)": "le nombre de cellules (lignes × colonnes)",
    "the columns of the header": "le nombre de colonnes de l'en-tête",
    "the characters in a cell": "le nombre de caractères d'une cellule",
    "the characters in a header cell": "le nombre de caractères d'une cellule de l'en-tête",
    "the rows of the sheet": "le nombre de lignes de la feuille",
    "the columns with a value": "le nombre de colonnes remplies",
    "the cells of the sheet": "le nombre de cellules de la feuille",
    "the blank rows in a row": "le nombre de lignes vides consécutives",
    "the features of the layer": "le nombre d'entités de la couche",
    "the fields of the layer": "le nombre de champs de la couche",
    "the cells (features × fields)": "le nombre de cellules (entités × champs)",
    "the departures of the service day (frequencies.txt expanded)": "le nombre de départs du jour de service (frequencies.txt développé)",
    "grid spacing {spacing}: expected a number of metres from {low:g}": "pas de grille {spacing} : un nombre de mètres à partir de {low:g} est attendu",
    "a grid of {spacing:g} m over the areas ({width:.1f} km × {height:.1f} km) has about {points:,} points, over the limit of {limit:,}: choose a wider spacing, or raise the limit with the environment variable {variable}": "une grille de {spacing:g} m sur les zones ({width:.1f} km × {height:.1f} km) compte environ {points:,} points, au-delà de la limite de {limit:,} : choisissez un pas plus large, ou relevez la limite avec la variable d'environnement {variable}",
    # ---
    # --- transit access: PTAL modes and metres
    "a number from {low:g} up to {high:g}{unit}": "un nombre à partir de {low:g} et jusqu'à {high:g}{unit}",
    "a number above {low:g} and up to {high:g}{unit}": "un nombre supérieur à {low:g} et jusqu'à {high:g}{unit}",
    "{name} {value}: expected {expected}": "{name} {value} : attendu {expected}",
    "{name} {value!r}: expected {expected}": "{name} {value!r} : attendu {expected}",
    "{name}: {reason}": "{name} : {reason}",
    "no reliability for the mode(s) {modes}": "aucune fiabilité pour le(s) mode(s) {modes}",
    "CODE=MODE or FIRST-LAST=MODE, a GTFS route type (0 to 1799) and one of {modes}": "CODE=MODE ou PREMIER-DERNIER=MODE, un type de ligne GTFS (0 à 1799) et l'un de {modes}",
    "distances in metres in {crs}": "distances en mètres dans {crs}",
    "distances in metres in {crs} (the input CRS {input} is {reason})": "distances en mètres dans {crs} (le SCR d'entrée {input} est {reason})",
    "geographic (degrees)": "géographique (en degrés)",
    "a grid of {spacing:g} m puts no point inside the areas ({width:.2f} km × {height:.2f} km): choose a finer spacing": "une grille de {spacing:g} m ne place aucun point dans les zones ({width:.2f} km × {height:.2f} km) : choisissez un pas plus fin",
    "grid spacing": "pas de la grille",
    "walk speed": "vitesse de marche",
    "detour": "facteur de détour",
    "other weight": "poids des autres lignes",
    "bus catchment": "rayon des arrêts de bus",
    "station catchment": "rayon des stations",
    "bus reliability": "fiabilité des bus",
    "station reliability": "fiabilité des stations",
    "route types": "types de lignes",
    "radius": "rayon",
    "within": "distances",
    # ---
    # --- GTFS feeds
    "stops whose latitude and longitude look swapped (swapped, they are among the other stops): kept as given, their PTAL is wrong": "arrêts dont la latitude et la longitude semblent inversées (inversées, elles les placent parmi les autres arrêts) : gardés tels quels, leur PTAL est faux",
    "the zip holds more than one file of this name": "le zip contient plus d'un fichier de ce nom",
    "one GTFS feed per zip: its files at the root or in one folder": "un seul flux GTFS par zip : ses fichiers à la racine ou dans un seul dossier",
    "the file is empty: read as if absent": "le fichier est vide : lu comme s'il était absent",
    "a header row of GTFS fields, or no file": "une ligne d'en-tête de champs GTFS, ou pas de fichier",
    "not valid UTF-16 text (the file starts with a UTF-16 mark)": "texte UTF-16 invalide (le fichier commence par une marque UTF-16)",
    "a GTFS file in UTF-8": "un fichier GTFS en UTF-8",
    "a GTFS file in UTF-8 (GTFS requires it)": "un fichier GTFS en UTF-8 (GTFS l'exige)",
    "the file contains NUL bytes: binary, or UTF-16 without its mark": "le fichier contient des octets NUL : binaire, ou UTF-16 sans sa marque",
    "not UTF-8 text: read as Windows-1252": "texte qui n'est pas de l'UTF-8 : lu comme du Windows-1252",
    "a field without a name": "un champ sans nom",
    "duplicate field name": "nom de champ en double",
    "unique GTFS field names": "des noms de champs GTFS uniques",
    "a quote opened on this line is never closed, or a value goes on after its closing quote": "un guillemet ouvert sur cette ligne n'est jamais fermé, ou une valeur continue après son guillemet fermant",
    "the latitude in stop_lat and the longitude in stop_lon (swap the two names in the header of stops.txt)": "la latitude dans stop_lat et la longitude dans stop_lon (échangez les deux noms dans l'en-tête de stops.txt)",
    "no stop of stop_times.txt has coordinates (at 0,0 or none)": "aucun arrêt de stop_times.txt n'a de coordonnées (à 0,0 ou aucune)",
    "each stop's latitude and longitude": "la latitude et la longitude de chaque arrêt",
    "stops at 0,0 (blank coordinates?): placed at their parent station": "arrêts à 0,0 (coordonnées vides ?) : placés à leur station parente",
    "stops at 0,0 (blank coordinates?): left out with their stop times": "arrêts à 0,0 (coordonnées vides ?) : écartés avec leurs horaires",
    "stops of stop_times.txt without coordinates: placed at their parent station": "arrêts de stop_times.txt sans coordonnées : placés à leur station parente",
    "stops of stop_times.txt without coordinates and without a parent station that has some: left out with their stop times": "arrêts de stop_times.txt sans coordonnées et sans station parente qui en ait : écartés avec leurs horaires",
    "start_date after end_date": "start_date après end_date",
    "a start_date on or before the end_date (YYYYMMDD)": "une start_date au plus tard à l'end_date (AAAAMMJJ)",
    "end_time not after start_time": "end_time n'est pas après start_time",
    "an end_time after the start_time (HH:MM:SS, hours may pass 24)": "une end_time après la start_time (HH:MM:SS, les heures peuvent dépasser 24)",
    "no stop of the feed is near the areas: PTAL is 0 everywhere": "aucun arrêt du flux n'est près des zones : le PTAL est 0 partout",
    "{option} {value!r}: not a date ({reason}); expected a date YYYY-MM-DD, e.g. 2026-03-10": "{option} {value!r} : pas une date ({reason}) ; date AAAA-MM-JJ attendue, par ex. 2026-03-10",
    "day is out of range for month": "jour hors du mois",
    "month must be in 1..12": "mois hors de 1..12",
    "not YYYY-MM-DD": "pas au format AAAA-MM-JJ",
    "a whole number from 1": "un nombre entier à partir de 1",
    "a whole number from 0": "un nombre entier à partir de 0",
    "trips without stop times: their frequencies give no departure": "voyages sans horaires : leurs fréquences ne donnent aucun départ",
    "the trip's stops in stop_times.txt": "les arrêts du voyage dans stop_times.txt",
    "trips whose service_id is in no calendar: they never run": "voyages dont le service_id n'est dans aucun calendrier : ils ne circulent jamais",
    "a service_id of calendar.txt or calendar_dates.txt": "un service_id de calendar.txt ou calendar_dates.txt",
    "no stop time has a time": "aucun horaire n'a d'heure",
    "arrival_time and departure_time, at least at each trip's first and last stop (HH:MM:SS)": "arrival_time et departure_time, au moins au premier et au dernier arrêt de chaque voyage (HH:MM:SS)",
    # ---
    # --- QGIS desktop and GEOS
    "Running in a separate Python process ({python}): QGIS's GEOS is not shapely's": (
        "Exécution dans un processus Python séparé ({python}) : le GEOS de QGIS n'est pas "
        "celui de shapely"
    ),
    "the separate Python process ended with code {code}": (
        "le processus Python séparé s'est terminé avec le code {code}"
    ),
    "no Python {version} with qet-geo's packages was found to run the geometry work "
    "outside QGIS (tried: {tried}); set QET_GEO_PYTHON to one": (
        "aucun Python {version} avec les paquets de qet-geo n'a été trouvé pour faire le "
        "travail géométrique hors de QGIS (essayés : {tried}) ; indiquez-en un dans "
        "QET_GEO_PYTHON"
    ),
    "This QGIS exposes its own GEOS, PROJ and GDAL to every Python module ({qgis}): "
    "shapely, pyproj and pyogrio would call them instead of their own, and 2-D geometries "
    "would read as 3-D or make the run crash.": (
        "Ce QGIS expose ses propres GEOS, PROJ et GDAL à tous les modules Python ({qgis}) : "
        "shapely, pyproj et pyogrio les appelleraient à la place des leurs, et des géométries "
        "2D seraient lues en 3D ou feraient planter le traitement."
    ),
    "Versions that differ from QGIS's: {names}.": "Versions différentes de celles de QGIS : {names}.",
    "QGIS's own libraries are global in this process ({libraries}): every "
    "algorithm working on geometries will run in a separate Python process.": (
        "Les bibliothèques de QGIS sont globales dans ce processus ({libraries}) : tous les "
        "algorithmes qui travaillent sur des géométries tourneront dans un processus Python "
        "séparé."
    ),
    "qet-geo therefore runs every algorithm that works on geometries in a separate "
    "Python process: {python} (packages: {wheels}); QGIS reads their input layers and "
    "writes their outputs. They are: the whole diagnostic, the posters, {names}. "
    "The footprints and the profile assignment do no geometry work and run in "
    "QGIS's process.": (
        "qet-geo fait donc tous les algorithmes qui travaillent sur des géométries dans un "
        "processus Python séparé : {python} (bibliothèques : {wheels}) ; QGIS lit leurs "
        "couches d'entrée et écrit leurs sorties. Ce sont : tout le diagnostic, les affiches, "
        "{names}. Les empreintes et l'affectation aux profils ne font aucun travail "
        "géométrique et tournent dans le processus de QGIS."
    ),
    "{path}: the separate Python process wrote no layer": (
        "{path} : le processus Python séparé n'a écrit aucune couche"
    ),
    "{uri}: QGIS cannot open this layer": "{uri} : QGIS ne peut pas ouvrir cette couche",
    # ---
    # --- profile names, k-means and parameters
    "profile(s) {profiles} ({sizes} respondents) are published in “{name}” too: grouped alone, the small profiles would stay under {n} respondents and could be recovered by difference": "le(s) profil(s) {profiles} ({sizes} répondants) sont aussi publiés dans « {name} » : regroupés seuls, les petits profils resteraient sous {n} répondants et pourraient être retrouvés par différence",
    "{option}: value {value}: expected {expected}": "{option} : valeur {value} : attendu {expected}",
    "{option}: value {value}: {reason}; expected {expected}": "{option} : valeur {value} : {reason} ; attendu {expected}",
    "detecting profiles ({method})": "détection des profils ({method})",
    "stability: {n} bootstrap resamples": "stabilité : {n} rééchantillonnages bootstrap",
    "assigning the respondents to the profiles": "affectation des répondants aux profils",
    "a whole number from 0 to {high}, a numpy random generator, or None (then seed)": "un nombre entier de 0 à {high}, un générateur aléatoire numpy, ou None (alors seed)",
    "a whole number from {low}": "un nombre entier à partir de {low}",
    "a whole number from {low} to {high}": "un nombre entier de {low} à {high}",
    "a share above the smallest share ({low}), up to 1": "une part supérieure à la part minimale ({low}), jusqu'à 1",
    "a share between 0 and 1 (0 excluded; 0.95 = 95 %)": "une part entre 0 et 1 (0 exclu ; 0.95 = 95 %)",
    "a share between 0 and 1, both excluded (0.11 = 11 %)": "une part entre 0 et 1, tous deux exclus (0.11 = 11 %)",
    "a number from 0 to under 1 (1e-9 by default)": "un nombre de 0 à moins de 1 (1e-9 par défaut)",
    "two whole numbers, the smallest and the largest k tried, with 2 ≤ smallest ≤ largest": "deux nombres entiers, le plus petit et le plus grand k essayés, avec 2 ≤ plus petit ≤ plus grand",
    "a whole number from 2 to {n}: the {respondents} answers hold {n} distinct answer vectors, and there cannot be more profiles than that": "un nombre entier de 2 à {n} : les {respondents} réponses comptent {n} combinaisons de réponses distinctes, et il ne peut y avoir plus de profils",
    "a smallest k from 2 to {n}: the {respondents} answers hold {n} distinct answer vectors (k above it is not tried)": "un plus petit k de 2 à {n} : les {respondents} réponses comptent {n} combinaisons de réponses distinctes (un k au-delà n'est pas essayé)",
    "no clear structure": "pas de structure nette",
    "the profiles cut a continuum of habits rather than separate groups: read them as tendencies, not types; prefer fewer profiles, NEAR's method (the QeT reference) or more answers": "les profils découpent un continuum d'habitudes plutôt que des groupes distincts : lisez-les comme des tendances, non comme des types ; préférez moins de profils, la méthode NEAR (la référence QeT) ou davantage de réponses",
    "no k from {low} to {high} gives a clear structure: the best silhouette is {s:.2f} (k = {k}), under {t:.2f} (Kaufman & Rousseeuw: no substantial structure)": "aucun k de {low} à {high} ne donne de structure nette : la meilleure silhouette est {s:.2f} (k = {k}), sous {t:.2f} (Kaufman et Rousseeuw : pas de structure substantielle)",
    "the {k} profiles show no clear structure: silhouette {s:.2f}, under {t:.2f} (Kaufman & Rousseeuw: no substantial structure)": "les {k} profils ne montrent pas de structure nette : silhouette {s:.2f}, sous {t:.2f} (Kaufman et Rousseeuw : pas de structure substantielle)",
    "profile parameter that cannot be used": "paramètre de profils inutilisable",
    "not a valid value for these answers": "valeur invalide pour ces réponses",
    # ---
    # --- profile report and forum language
    "{k} profile(s) published, {n} respondents ({excluded} left out for a missing answer).": "{k} profil(s) publié(s), {n} répondants ({excluded} écartés pour une réponse manquante).",
    "merge step (1 = first merge)": "étape de fusion (1 = première fusion)",
    "distance between centroids (NEAR weights), highest so far": "distance entre centres (poids NEAR), la plus haute atteinte",
    "Each merge is drawn at the highest distance reached so far (NEAR's merge distances are not monotone): the dashed line crosses one branch per profile.": "Chaque fusion est dessinée à la plus haute distance atteinte jusque-là (les distances de fusion de NEAR ne sont pas croissantes) : la ligne pointillée coupe une branche par profil.",
    "Answers and index scores": "Réponses et indices",
    "question": "question",
    "answer": "réponse",
    "whole study": "ensemble",
    "index of CO2 weight (study = 100)": "indice des poids CO2 (ensemble = 100)",
    "index of the mean answer (study = 100)": "indice de la réponse moyenne (ensemble = 100)",
    "Shares (%): of the profile's respondents (weighted), the share who gave this answer, in bold the most frequent; “whole study”: the same share among all respondents.": "Parts (%) : parmi les répondants du profil (pondérés), la part qui a donné cette réponse, en gras la plus fréquente ; « ensemble » : la même part parmi tous les répondants.",
    "Index (study = 100, not a share): the profile's mean of NEAR's CO2 weights of its answers to the question, over the same mean in the whole study, × 100; index < 80 far below, 80–120 close to, 120–200 above, > 200 far above.": "Indice (ensemble = 100, ce n'est pas une part) : la moyenne, dans le profil, des poids CO2 de NEAR des réponses à la question, rapportée à la même moyenne dans l'ensemble, × 100 ; indice < 80 nettement en dessous, 80–120 proche, 120–200 au-dessus, > 200 nettement au-dessus.",
    "total of the five usages (without heating)": "total des cinq usages (sans le chauffage)",
    "heating (apart, not in the total)": "chauffage (à part, hors total)",
    "hidden": "masqué",
    "most frequent answer": "réponse la plus fréquente",
    "An answer given by fewer than {n} respondents of a profile is hidden (and one more when a single one would be given back by difference).": "Une réponse donnée par moins de {n} répondants d'un profil est masquée (et une autre avec elle quand elle se déduirait par différence).",
    "--map-language is deprecated: use --lang": "--map-language est obsolète : utilisez --lang",
    "Heating is not in the total: the total is the sum of the five usages of the method (food, air travel, mobility, purchases, digital), each a person's own and the same five as Nos Gestes Climat's French average it is compared with; heating is the dwelling's (Nos Gestes Climat's “logement . chauffage”, plus the electricity an electric system adds), estimated from the heating energy alone and computed only when the survey asks it, so it is shown apart.": "Le chauffage n'est pas compris dans le total : le total est la somme des cinq usages de la méthode (alimentation, avion, mobilité, achats, numérique), propres à chaque personne et les mêmes cinq que la moyenne française de Nos Gestes Climat à laquelle il est comparé ; le chauffage est celui du logement (« logement . chauffage » de Nos Gestes Climat, plus l'électricité qu'ajoute un chauffage électrique), estimé à partir de la seule énergie de chauffage et calculé seulement si l'enquête la demande : il est donc montré à part.",
    # ---
    # --- command line faults and configuration
    "not a regular file": "pas un fichier ordinaire",
    "interrupted (Ctrl+C): the outputs are incomplete": "interrompu (Ctrl+C) : les sorties sont incomplètes",
    "canceled: the outputs are incomplete": "annulé : les sorties sont incomplètes",
    "unexpected error: {kind}: {message}": "erreur inattendue : {kind} : {message}",
    "rerun with --debug to see the traceback": "relancez avec --debug pour voir la trace",
    "time window {window!r}: expected HH:MM-HH:MM": "fenêtre horaire {window!r} : attendu HH:MM-HH:MM",
    "time window {window!r}: the end must come after the start": "fenêtre horaire {window!r} : la fin doit venir après le début",
    "colour {value!r} is not #RRGGBB": "la couleur {value!r} n'est pas de la forme #RRGGBB",
    "method {method!r} needs k (a number of profiles, or 'auto')": "la méthode {method!r} demande k (un nombre de profils, ou 'auto')",
    "a threshold of {n} respondents is under {low}: it needs the explicit override ({override}), which the outputs record": "un seuil de {n} répondants est sous {low} : il demande l'autorisation explicite ({override}), que les sorties enregistrent",
    "the threshold must be at least 1 respondent": "le seuil doit être d'au moins 1 répondant",
    "standard output: disk full ({reason})": "sortie standard : disque plein ({reason})",
    "neighbourhood {part!r}: expected NAME=code,code,…": "quartier {part!r} : attendu NOM=code,code,…",
    "Cramér's V (profiles × PTAL band): {v}{ci}; Spearman (mobility footprint, AI): {rho}{ci2}": "V de Cramér (profils × classe PTAL) : {v}{ci} ; Spearman (empreinte mobilité, AI) : {rho}{ci2}",
    "{path}: disk full ({reason}): the outputs are incomplete; free some space and run again": "{path} : disque plein ({reason}) : les sorties sont incomplètes ; libérez de la place et relancez",
    "{path}: disk full ({reason}): the file was not written, the temporary file is removed; free some space and run again": "{path} : disque plein ({reason}) : le fichier n'a pas été écrit, le fichier temporaire est supprimé ; libérez de la place et relancez",
    "no space left on the device": "plus de place sur le périphérique",
    "file size limit reached": "limite de taille de fichier atteinte",
    "disk quota exceeded": "quota disque dépassé",
    "an output": "une sortie",
    "{path}: cannot be written: {folder} is a file, not a folder": "{path} : écriture impossible : {folder} est un fichier, pas un dossier",
    "{path}: cannot be written: {reason}": "{path} : écriture impossible : {reason}",
    "{path}: is a folder, expected a file name": "{path} : est un dossier, un nom de fichier est attendu",
    "a TOML file saved as UTF-8 (the encoding TOML requires)": "un fichier TOML enregistré en UTF-8 (l'encodage qu'exige TOML)",
    "a finite number (not inf or nan)": "un nombre fini (ni inf ni nan)",
    "a sheet is chosen in an XLSX or ODS workbook only": "une feuille ne se choisit que dans un classeur XLSX ou ODS",
    "no sheet for this file, or the workbook itself": "pas de feuille pour ce fichier, ou le classeur lui-même",
    "a layer is chosen in a GeoPackage or another layer file only": "une couche ne se choisit que dans un GeoPackage ou un autre fichier de couches",
    "no layer for this file": "pas de couche pour ce fichier",
    "profile names": "noms de profils",
    "profile colours": "couleurs de profils",
    "1 to {k}": "1 à {k}",
    "none at all": "aucun",
    "{what} given for profile(s) {missing}, which the detection did not find: the profiles are {found} (see the report)": "{what} donnés pour le(s) profil(s) {missing}, que la détection n'a pas trouvé(s) : les profils sont {found} (voir le rapport)",
    "not a readable profile model: a key is missing": "modèle de profils illisible : une clé manque",
    "a model file written by qet-geo profiles detect": "un fichier de modèle écrit par qet-geo profiles detect",
    "raking cap {cap}: expected a finite number above 1 (a multiple of the mean weight, e.g. 5)": "plafond du calage {cap} : un nombre fini supérieur à 1 est attendu (un multiple du poids moyen, par ex. 5)",
    "not a text file (binary content)": "pas un fichier texte (contenu binaire)",
    "an INSEE IRIS file (base-ic-evol-struct-pop): text, ';'-separated, with the columns IRIS, C21_POP15P, P21_POP1529…": "un fichier IRIS de l'Insee (base-ic-evol-struct-pop) : du texte séparé par des « ; », avec les colonnes IRIS, C21_POP15P, P21_POP1529…",
    "a quote is not closed": "un guillemet n'est pas refermé",
    "a row does not have as many fields as the header": "une ligne n'a pas autant de champs que l'en-tête",
    "no IRIS row under the header": "aucune ligne d'IRIS sous l'en-tête",
    "one row per IRIS (INSEE)": "une ligne par IRIS (Insee)",
    "not a table of weights": "pas une table de pondérations",
    'a JSON object {"meat_frequency": [200, 1000, 2000], …}: per variable, the weights of its answer codes 1, 2, 3 (numbers ≥ 0)': 'un objet JSON {"meat_frequency": [200, 1000, 2000], …} : par variable, les pondérations de ses codes de réponse 1, 2, 3 (nombres ≥ 0)',
    "no weights for this variable": "aucune pondération pour cette variable",
    "not a list of weights": "pas une liste de pondérations",
    "a weight is not a finite number ≥ 0": "une pondération n'est pas un nombre fini ≥ 0",
    "an area has a coordinate that is not a number (NaN or infinite)": "une zone a une coordonnée qui n'est pas un nombre (NaN ou infinie)",
    "finite coordinates": "des coordonnées finies",
    "a GeoPackage written by qet-geo": "un GeoPackage écrit par qet-geo",
    # ---
    # --- survey files
    "the file is empty (no header): it holds only a UTF-8 byte order mark (BOM), as Excel "
    "writes for an empty sheet": "le fichier est vide (aucun en-tête) : il ne contient qu'une "
    "marque d'ordre des octets UTF-8 (BOM), comme Excel en écrit pour une feuille vide",
    "({n} characters)": "({n} caractères)",
    "a quote opened on this row is not closed on it (the rows below are read on their own)": (
        "un guillemet ouvert sur cette ligne n'y est pas fermé (les lignes suivantes sont lues "
        "chacune pour elle-même)"
    ),
    "UTF-8 text (re-save the file as UTF-8, or correct this row)": (
        "du texte UTF-8 (réenregistrez le fichier en UTF-8, ou corrigez cette ligne)"
    ),
    "UTF-8 text (re-export as 'CSV UTF-8')": "du texte UTF-8 (réexportez en « CSV UTF-8 »)",
    "point with a coordinate that is not a number (NaN or infinite)": (
        "point dont une coordonnée n'est pas un nombre (NaN ou infinie)"
    ),
    "a point with finite coordinates": "un point aux coordonnées finies",
    "Ids: no respondent id column, ids are the row numbers": (
        "Identifiants : aucune colonne d'identifiant, les identifiants sont les numéros de ligne"
    ),
    "several columns for the respondent id": "plusieurs colonnes pour l'identifiant du répondant",
    "several columns for the longitude": "plusieurs colonnes pour la longitude",
    "several columns for the latitude": "plusieurs colonnes pour la latitude",
    "several columns for the x coordinate": "plusieurs colonnes pour la coordonnée x",
    "several columns for the y coordinate": "plusieurs colonnes pour la coordonnée y",
    "several columns for the area code": "plusieurs colonnes pour le code de zone",
    "one column (rename or remove the others)": "une seule colonne (renommez ou retirez les autres)",
    # ---
    # --- test suite and reference results
    # ---
    # --- the Python API (qet_geo as qg)
    "not a service layer": "pas une couche de services",
    "PATH[:LAYER], a point layer, or an n × 2 array of x/y": "CHEMIN[:COUCHE], une couche de points, ou un tableau n × 2 de x/y",
    "no profiles": "pas de profils",
    "labelled respondents (qet_geo.assign_profiles) or model=": "des répondants avec leur profil (qet_geo.assign_profiles) ou model=",
    "no population field": "pas de champ de population",
    # --- messages with values, by their message id: GTFS feeds
    "a header row of GTFS fields and one row per stop": "une ligne d'en-tête de champs GTFS et une ligne par arrêt",
    "a header row of GTFS fields and one row per route": "une ligne d'en-tête de champs GTFS et une ligne par ligne (route)",
    "a header row of GTFS fields and one row per trip": "une ligne d'en-tête de champs GTFS et une ligne par voyage",
    "a header row of GTFS fields and one row per stop time": "une ligne d'en-tête de champs GTFS et une ligne par horaire",
    "the file has a header but no stops": "le fichier a un en-tête mais aucun arrêt",
    "the file has a header but no routes": "le fichier a un en-tête mais aucune ligne (route)",
    "the file has a header but no trips": "le fichier a un en-tête mais aucun voyage",
    "the file has a header but no stop times": "le fichier a un en-tête mais aucun horaire",
    "one row per stop": "une ligne par arrêt",
    "one row per route": "une ligne par ligne (route)",
    "one row per trip": "une ligne par voyage",
    "one row per stop time": "une ligne par horaire",
    "one row per stop_id": "une ligne par stop_id",
    "one row per trip_id": "une ligne par trip_id",
    "one row per route_id": "une ligne par route_id",
    "duplicate route_id": "route_id en double",
    "duplicate trip_id": "trip_id en double",
    "duplicate service_id": "service_id en double",
    "a route_id of routes.txt": "un route_id de routes.txt",
    "a trip_id of trips.txt": "un trip_id de trips.txt",
    "a stop_id of stops.txt": "un stop_id de stops.txt",
    'quotes in pairs around a value ("…"), or no quote ({error})': "des guillemets par paires autour d'une valeur (« … »), ou aucun ({error})",
    "a quote opened on this line is never closed and runs over the next lines (to line {line})": "un guillemet ouvert sur cette ligne n'est jamais fermé et court sur les lignes suivantes (jusqu'à la ligne {line})",
    "this row has {fields} fields, the header {width}": "cette ligne a {fields} champs, l'en-tête {width}",
    "{width} fields: {header}": "{width} champs : {header}",
    "a number from {low} to {high}": "un nombre de {low} à {high}",
    "a whole number from {low} to {high} (required for stops, stations and entrances)": "un nombre entier de {low} à {high} (obligatoire pour les arrêts, stations et entrées)",
    "a number from {low} to {high} (required for stops, stations and entrances)": "un nombre de {low} à {high} (obligatoire pour les arrêts, stations et entrées)",
    "stop_lat and stop_lon look swapped: {swapped} of {stops} stops have a latitude beyond ±90° that would be a valid longitude": "stop_lat et stop_lon semblent inversées : {swapped} arrêts sur {stops} ont une latitude au-delà de ±90° qui serait une longitude valide",
    "stop_lat and stop_lon look swapped: no stop is near the areas, {swapped} of {stops} are once swapped": "stop_lat et stop_lon semblent inversées : aucun arrêt n'est près des zones, {swapped} sur {stops} le sont une fois inversées",
    "stops near the areas (lon/lat {box}): swap the names stop_lat and stop_lon in the header of stops.txt": "des arrêts près des zones (lon/lat {box}) : échangez les noms stop_lat et stop_lon dans l'en-tête de stops.txt",
    "a feed whose stops serve the areas (lon/lat {box})": "un flux dont les arrêts desservent les zones (lon/lat {box})",
    "stops far from every other stop of the feed (over {km:.0f} km): check their coordinates": "arrêts loin de tout autre arrêt du réseau (plus de {km:.0f} km) : vérifiez leurs coordonnées",
    # --- messages with values, by their message id: reading limits, files, layers, CRS
    "{variable}={text!r}: expected a whole number": "{variable}={text!r} : nombre entier attendu",
    "not valid JSON: {error}": "JSON invalide : {error}",
    "cannot read the file: {error}": "lecture du fichier impossible : {error}",
    "corrupt zip member: {error}": "membre du zip corrompu : {error}",
    "a column {code!r} (INSEE)": "une colonne {code!r} (INSEE)",
    "--model MODEL.json, or a column {column!r}": "--model MODELE.json, ou une colonne {column!r}",
    "distorted: 1 of its metres is {scale:.3f} m on the ground here (Mercator-like)": "déformé : 1 de ses mètres vaut {scale:.3f} m sur le terrain ici (comme Mercator)",
    "not in metres (1 unit = {factor:.7g} m)": "dans une autre unité que le mètre (1 unité = {factor:.7g} m)",
    "the GeoPackage says the layer has {read} features but it holds {stored}": "le GeoPackage annonce {read} entités dans la couche, elle en contient {stored}",
    "cannot read the respondents file: {error}": "lecture impossible du fichier de répondants : {error}",
    # --- messages with values, by their message id: the configuration file
    "not valid TOML: {error}": "TOML invalide : {error}",
    "not UTF-8 text: byte 0x{byte:02X} at column {column}": "pas du texte UTF-8 : octet 0x{byte:02X} en colonne {column}",
    "not a JSON file of weights ({error})": "pas un fichier JSON de pondérations ({error})",
    "the profile parameters cannot be used: {error}": "paramètres de profils inutilisables : {error}",
    "one of {choices}, or a file": "une valeur parmi {choices}, ou un fichier",
    "not a readable layer: {error}": "couche illisible : {error}",
    # --- messages with values, by their message id (see Message): survey files
    "the row has {fields} field(s) but the header has {width}": "la ligne a {fields} champ(s) mais l'en-tête en a {width}",
    "the row has {fields} field(s) but the header has {width}; it seems separated by {other} "
    "while the file uses {delimiter} (mixed delimiters)": "la ligne a {fields} champ(s) mais l'en-tête en a {width} ; elle semble séparée par {other} "
    "alors que le fichier utilise {delimiter} (séparateurs mélangés)",
    "{width} fields separated by tab": "{width} champs séparés par des tabulations",
    "{width} fields separated by {delimiter}": "{width} champs séparés par {delimiter}",
    "the first row has {first} column(s) but the rows below have {modal}: a title above the "
    "header?": "la première ligne a {first} colonne(s) mais les lignes suivantes en ont {modal} : un titre "
    "au-dessus de l'en-tête ?",
    "several columns for question {variable!r}": "plusieurs colonnes pour la question {variable!r}",
    "the layer to read (--layer), one of {layers}": "la couche à lire (--layer), parmi {layers}",
    "a header row and one row per respondent (choose another sheet: {sheets})": "une ligne d'en-tête et une ligne par répondant (choisir une autre feuille : {sheets})",
    "coordinates outside the valid range of {crs}": "coordonnées hors du domaine valide de {crs}",
    "mixed encodings: row {row} is not UTF-8 while row {utf8_row} is UTF-8 "
    "({rows} rows are not UTF-8, {utf8_rows} are)": "encodages mélangés : la ligne {row} n'est pas en UTF-8 alors que la ligne {utf8_row} l'est "
    "({rows} lignes ne sont pas en UTF-8, {utf8_rows} le sont)",
    "the text is encoded twice ({letters!r} stands for an accented letter): the file was saved "
    "as UTF-8 after being read as Windows-1252": "le texte est encodé deux fois ({letters!r} remplace une lettre accentuée) : le fichier a été "
    "enregistré en UTF-8 après avoir été lu en Windows-1252",
    "missing required column for question {variable!r}": "colonne obligatoire manquante pour la question {variable!r}",
    "a column headed {headers}": "une colonne intitulée {headers}",
    "duplicate respondent id (first seen on row {first})": "identifiant de répondant en double (déjà vu ligne {first})",
    "truncated label matches several answers: {codes}": "libellé tronqué correspondant à plusieurs réponses : {codes}",
    "no {role} column found for location {kind!r}": "aucune colonne {role} trouvée pour la localisation {kind!r}",
    "cannot read the sheet: {error}": "lecture impossible (sheet) : {error}",
    "cannot read the layer: {error}": "lecture impossible (layer) : {error}",
    "not a readable {format} workbook: {error}": "classeur {format} illisible : {error}",
    "unknown coordinate reference system: {error}": "système de coordonnées inconnu : {error}",
    "one of {choices}": "une valeur parmi {choices}",
    "one of {choices} or a number": "une valeur parmi {choices} ou un nombre",
    "a number ({bounds})": "un nombre ({bounds})",
    "number outside every band ({bands})": "nombre hors de toutes les classes ({bands})",
    "{low} and {high}": "{low} et {high}",
    "a number from {low:g} to {high:g} or one of {choices}": "un nombre de {low:g} à {high:g} ou une valeur parmi {choices}",
    "one column (rename or remove the others, or name the one to use with {option})": "une seule colonne (renommez ou retirez les autres, ou désignez la bonne avec {option})",
    "byte 0x{byte:02x} at byte {offset} of the row is neither UTF-8 nor Windows-1252 text": "l'octet 0x{byte:02x} (octet {offset} de la ligne) n'est ni de l'UTF-8 ni du Windows-1252",
    "byte 0x{byte:02x} at byte {offset} of the row is neither UTF-8 nor Windows-1252 text "
    "(in the header)": "l'octet 0x{byte:02x} (octet {offset} de la ligne) n'est ni de l'UTF-8 ni du Windows-1252 "
    "(dans l'en-tête)",
    "byte 0x{byte:02x} at byte {offset} of the row is not UTF-8, the encoding of the rest of "
    "the file (a row pasted from a Windows-1252 text?)": "l'octet 0x{byte:02x} (octet {offset} de la ligne) n'est pas de l'UTF-8, l'encodage du "
    "reste du fichier (une ligne collée depuis un texte Windows-1252 ?)",
    "byte 0x{byte:02x} at byte {offset} of the row is not UTF-8, the encoding of the rest of "
    "the file (a row pasted from a Windows-1252 text?) (in the header)": "l'octet 0x{byte:02x} (octet {offset} de la ligne) n'est pas de l'UTF-8, l'encodage du "
    "reste du fichier (une ligne collée depuis un texte Windows-1252 ?) (dans l'en-tête)",
    # --- the messages that were regexes over English text (issue 13)
    # --- generic fragments of "expected" texts
    "{low} to {high}": "de {low} à {high}",
    # --- web map inputs
    "a comparison GeoPackage (qet-geo compare)": "un GeoPackage de comparaison (qet-geo compare)",
    "a diagnostic GeoPackage with its area estimates (qet-geo diagnostic summarize --areas)": "un GeoPackage de diagnostic avec ses estimations par zone (qet-geo diagnostic summarize --areas)",
    "not a diagnostic: none of its tables": "pas un diagnostic : aucune de ses tables",
    "no area estimates in the diagnostic": "pas d'estimations par zone dans le diagnostic",
    "not area estimates by profile": "pas des estimations par profils",
    "a layer of the file": "une couche du fichier",
    "{what}: {layers}": "{what} : {layers}",
    "not a readable GeoPackage: {error}": "GeoPackage illisible : {error}",
    # --- the diagnostic's poster
    "a diagnostic GeoPackage": "un GeoPackage de diagnostic",
    "not a diagnostic GeoPackage": "pas un GeoPackage de diagnostic",
    "a diagnostic GeoPackage (qet-geo diagnostic summarize)": "un GeoPackage de diagnostic (qet-geo diagnostic summarize)",
    # --- CSV cells, published paths, private layers
    "refused as a population layer: {reason}": "refusée comme couche de population : {reason}",
    "refused as a web map background: {reason}": "refusée comme fond de la carte web : {reason}",
    "refused as a service layer: {reason}": "refusée comme couche de services : {reason}",
    "it has a {field} field (one feature per respondent)": "elle a un champ {field} (une entité par répondant)",
    "it has respondents' answer fields ({fields})": "elle a des champs de réponses des répondants ({fields})",
    "{near} of its {features} features lie within {distance:g} m of a respondent's home": "{near} de ses {features} entités sont à moins de {distance:g} m du domicile d'un répondant",
    "{small} of its {features} features are polygons under {area:g} m², drawn as dots that could show homes": "{small} de ses {features} entités sont des polygones de moins de {area:g} m², dessinés comme des points qui pourraient montrer des domiciles",
    # --- reading limits (the numbers are Counts: 1,234,567 in English, 1 234 567 in French)
    "{what} exceeds the reading limit of {limit} (found {found}); raise it with the environment variable {variable}": "{what} dépasse la limite de lecture de {limit} (trouvé : {found}) ; relevez-la avec la variable d'environnement {variable}",
    "more than {n}": "plus de {n}",
    "{n} or more": "{n} ou plus",
    # --- transit access: GTFS feeds, PTAL modes and metres
    "a service day of the feed ({start} to {end})": "un jour de service du flux (du {start} au {end})",
    "{n} route(s) of unknown route_type {route_type} left out of PTAL": "{n} ligne(s) de route_type inconnu {route_type} laissée(s) hors du PTAL",
    "{n} route(s) of mode {mode} left out of PTAL: no catchment for this mode": "{n} ligne(s) du mode {mode} laissée(s) hors du PTAL : aucun rayon pour ce mode",
    "a catchment and a reliability for every mode: {modes}": "un rayon et une fiabilité pour chaque mode : {modes}",
    "a GTFS route type (0–7, 11, 12, extended 100–1799), or a mode given to it: "
    '--route-type {route_type}=bus, or in the configuration [transit] route_types = {{ "{route_type}" = "bus" }}': "un type de ligne GTFS (0–7, 11, 12, étendu 100–1799), ou un mode qui lui est donné : "
    '--route-type {route_type}=bus, ou dans la configuration [transit] route_types = {{ "{route_type}" = "bus" }}',
    "catchment of {mode}": "rayon du mode {mode}",
    "reliability of {mode}": "fiabilité du mode {mode}",
    # --- compare, proximity, footprints
    "profile {profile} of the bivariate map: no such profile (expected one of {profiles})": "profil {profile} de la carte bivariée : ce profil n'existe pas (attendu parmi {profiles})",
    "--people {names}: no such --service layer": "--people {names} : aucune couche --service de ce nom",
    "{group} is not an object": "{group} n'est pas un objet",
    # --- profiles: NEAR's stop, the model and its file
    "{n} profiles remain (target {target_count})": "il reste {n} profils (cible {target_count})",
    "{n} profiles remain (minimum count {min_count})": "il reste {n} profils (nombre minimal {min_count})",
    "the smallest profile holds {share:.1%} (minimum share {min_share:.0%})": "le plus petit profil rassemble {share:.1%} (part minimale {min_share:.0%})",
    "the largest profile holds {share:.1%} (maximum share {max_share:.0%})": "le plus grand profil rassemble {share:.1%} (part maximale {max_share:.0%})",
    "the variables of the model: {variables}": "les variables du modèle : {variables}",
    "codes {codes}": "les codes {codes}",
    "profile numbers 1 to {k}": "des numéros de profil de 1 à {k}",
    "not a readable profile model: {error}": "modèle de profils illisible : {error}",
    # the diagnostic: EMdV and NGC answers, the link to the profiles
    "unknown EMdV schema {name!r}: expected near-emdv or a .yaml file": "schéma EMdV inconnu {name!r} : attendu near-emdv ou un fichier .yaml",
    "{file}: {read} rows read, {accepted} accepted, {rejected} rejected ({format}, schema {schema})": "{file} : {read} lignes lues, {accepted} acceptées, {rejected} rejetées ({format}, schéma {schema})",
    '{n} empty answers {{}} to the local-food barrier read as "Ça ne me concerne pas" (NOT_CONCERNED): NEAR stores that choice as an empty list': "{n} réponses vides {{}} au frein de l'alimentation locale lues comme « Ça ne me concerne pas » (NOT_CONCERNED) : NEAR enregistre ce choix comme une liste vide",
    "column {column!r} read and dropped (personal data)": "colonne {column!r} lue et écartée (donnée personnelle)",
    "duplicate respondent id (first at row {first})": "identifiant de répondant en double (déjà à la ligne {first})",
    "unknown column {column!r}: is it {header!r} renamed?": "colonne inconnue {column!r} : est-ce {header!r} renommée ?",
    "headers such as {a!r} or {b!r}": "des en-têtes comme {a!r} ou {b!r}",
    "the header {header!r} (or {snake!r})": "l'en-tête {header!r} (ou {snake!r})",
    "a number {span}": "un nombre {span}",
    "a list such as {example}": "une liste comme {example}",
    "one of {codes}": "l'un de {codes}",
    "one of {codes} (nearest: {near})": "l'un de {codes} (le plus proche : {near})",
    "two columns are the same question {key}": "deux colonnes sont la même question {key}",
    "no column {column!r}": "pas de colonne {column!r}",
    # the forum's exhibition outputs (qet_geo/export/forum_panels.py)
    "not a table": "pas une table",
    "the forum subjects table": "la table des sujets du forum",
    "the area potentials layer": "la couche des potentiels par quartier",
    "not a subject key": "pas une clé de sujet",
    "not a valid schema: a value of the wrong type ({error})": "pas un schéma valide : une valeur du mauvais type ({error})",
    "no moves: an actions lever saves NGC's actions on each band": "pas de moves : un levier d'actions économise les actions NGC sur chaque tranche",
    "not an NGC action evaluated on this question's bands": "pas une action NGC évaluée sur les tranches de cette question",
    "another key than {key!r}": "une autre clé que {key!r}",
    "a lever key given twice (case aside)": "une clé de levier donnée deux fois (à la casse près)",
    "a subject key given twice (case aside)": "une clé de sujet donnée deux fois (à la casse près)",
    "nested too deep": "imbriqué trop profondément",
    "an action rule evaluated on the bands": "une règle d'action évaluée sur les tranches",
    "{area}: {n} ballots": "{area} : {n} bulletins",
    "the subject ahead hidden (statistical secrecy)": "le sujet en tête masqué (secret statistique)",
    "not a column of a ballot file": "pas une colonne d'un fichier de bulletins",
    "columns not read: {columns}": "colonnes non lues : {columns}",
    "an alias (*name): not accepted here": "un alias (*nom) : refusé ici",
    "plain YAML values, no anchors nor aliases": "des valeurs YAML simples, sans ancre ni alias",
    "a key given twice in a mapping": "une clé donnée deux fois dans une table",
    "each key once": "chaque clé une fois",
    "not a UTF-8 text file": "pas un fichier texte UTF-8",
    "a YAML file": "un fichier YAML",
    "not a field of a levers file": "pas un champ d'un fichier de leviers",
    "letters, digits, _ or - (40 at most)": "des lettres, des chiffres, _ ou - (40 au plus)",
    "structural: {blocked_min: a number from 0 to 1}": "structural: {blocked_min: un nombre de 0 à 1}",
    "not a lever key": "pas une clé de levier",
    "not a field of a lever": "pas un champ d'un levier",
    "a mapping of band codes, source: target (3: 2)": "une table de codes de tranche, source: cible (3: 2)",
    "a list of NGC action rules": "une liste de règles d'action NGC",
    "not a question of the EMdV form": "pas une question du questionnaire EMdV",
    "not a text in French and English": "pas un texte en français et en anglais",
    "{fr: text, en: text}": "{fr: texte, en: texte}",
    "{measure: ptal, poor: [...]} or {measure: food, poor_from_m: 800}": "{measure: ptal, poor: [...]} ou {measure: food, poor_from_m: 800}",
    "not a field of a constraint": "pas un champ d'une contrainte",
    "a list of the PTAL bands counted as poor: 0, 1a, 1b, 2, 3, 4, 5, 6a, 6b": "une liste des classes PTAL comptées comme faibles : 0, 1a, 1b, 2, 3, 4, 5, 6a, 6b",
    "a distance in metres (more than 0)": "une distance en mètres (plus de 0)",
    "the ballots without an area: hidden (statistical secrecy)": "les bulletins sans zone : masqués (secret statistique)",
    "letters, digits, _ or -": "des lettres, des chiffres, _ ou -",
    "the same subject key twice": "la même clé de sujet deux fois",
    "one of {ids} ({source})": "l'un de {ids} ({source})",
    "one of {codes} ({source})": "l'un de {codes} ({source})",
    "a Typeform answer of an unknown type {type}": "une réponse Typeform d'un type inconnu {type}",
    "no column of the EMdV form found": "aucune colonne du questionnaire EMdV trouvée",
    "one answer per respondent": "une réponse par répondant",
    "unknown answer code": "code de réponse inconnu",
    "not a number in the range": "nombre hors de la plage",
    "not a list of choices (PostgreSQL array literal)": "pas une liste de choix (tableau PostgreSQL)",
    "one column per question": "une colonne par question",
    "not a list of SU records": "pas une liste de fiches de SU",
    "the population shares sum to 0": "les parts de population font 0 au total",
    "an SU record is not an object": "une fiche de SU n'est pas un objet",
    "not an SU number": "pas un numéro de SU",
    "not a percentage": "pas un pourcentage",
    "the same SU number twice": "deux fois le même numéro de SU",
    "an SU id the profiles lack": "un identifiant de SU absent des profils",
    "a profile code the profiles lack": "un code de profil absent des profils",
    "not a barycentre of six numbers": "pas un barycentre de six nombres",
    "an answer is not a JSON object": "une réponse n'est pas un objet JSON",
    "a Typeform payload has no answers list": "un envoi Typeform sans liste de réponses",
    "calculatedResults is not an object": "calculatedResults n'est pas un objet",
    "a Typeform answer has no field ref": "une réponse Typeform sans field ref",
    "the Metabase export of Su Data (a JSON list)": "l'export Metabase de Su Data (une liste JSON)",
    "shares summing to 100": "des parts dont la somme fait 100",
    "a number from 0 to 100": "un nombre de 0 à 100",
    "one record per SU": "une fiche par SU",
    "ID, Su, Pop Percentage, Barycenter": "ID, Su, Pop Percentage, Barycenter",
    "a list of six numbers": "une liste de six nombres",
    "choice, choices, text, number, boolean, email or date": "choice, choices, text, number, boolean, email ou date",
    "a JSON list of answers, or webhook payloads": "une liste JSON de réponses, ou des envois de webhook",
    "a list of objects (one per answer), or webhook payloads": "une liste d'objets (un par réponse), ou des envois de webhook",
    "form_response.answers: a list": "form_response.answers : une liste",
    "an object of NGC keys and numbers": "un objet de clés NGC et de nombres",
    "an answer with field.ref": "une réponse avec field.ref",
    "profiles without respondents left out: {profiles}": "profils sans répondants laissés de côté : {profiles}",
    "{survey}: {declared} respondents gave their SU code, {assigned} were assigned to the nearest profile, {none} have no profile": "{survey} : {declared} répondants ont donné leur code SU, {assigned} ont été affectés au profil le plus proche, {none} n'ont pas de profil",
    "Profiles: {source} ({kind})": "Profils : {source} ({kind})",
    "Values under {n} respondents are hidden (statistical secrecy).": "Les valeurs de moins de {n} répondants sont masquées (secret statistique).",
    "give the profiles as Su Data.json ({su_data}) or as a saved model ({model}), one of them": "donnez les profils par Su Data.json ({su_data}) ou par un modèle enregistré ({model}), l'un des deux",
    "give the EMdV answers ({emdv}), the NGC answers ({ngc}) or both": "donnez les réponses EMdV ({emdv}), les réponses NGC ({ngc}) ou les deux",
    "unknown survey {survey!r}; expected one of {surveys}": "enquête inconnue {survey!r} ; enquêtes possibles : {surveys}",
    "{n} reviewed testimonies published (e-mails, phones and street numbers masked)": "{n} témoignages relus publiés (e-mails, téléphones et numéros de rue masqués)",
    "Su ID, profile, or the six SU answers (Meat Frequency, …)": "Su ID, profile, ou les six réponses SU (Meat Frequency, …)",
    "no column giving the SU respondents' profile": "aucune colonne ne donne le profil des répondants SU",
    "text_id (and publish), as in the texts layer of the private file": "text_id (et publish), comme dans la couche texts du fichier privé",
    "an id of the texts layer of the private file": "un identifiant de la couche texts du fichier privé",
    "a text id the private file lacks": "un identifiant de texte absent du fichier privé",
    "a column text_id": "une colonne text_id",
    "an area map with the profile shares {columns} (qet-geo areas map)": "une carte des zones avec les parts des profils {columns} (qet-geo areas map)",
    "unknown NGC schema {name!r}: expected near-ngc or a .yaml file": "schéma NGC inconnu {name!r} : attendu near-ngc ou un fichier .yaml",
    "{n} numbers shown as dates by the export read as missing, {given} given back by the tree of the results (a parent is the sum of its children), {left} left missing": "{n} nombres affichés comme des dates par l'export lus comme manquants, {given} retrouvés par l'arbre des résultats (un parent est la somme de ses enfants), {left} restés manquants",
    "the raw NGC answers are read and not kept": "les réponses brutes NGC sont lues et non conservées",
    "no column of the NGC results found": "aucune colonne des résultats NGC trouvée",
    "a number (kg CO2e per year)": "un nombre (kg CO2e par an)",
    "a number ≥ 0 (kg CO2e per year)": "un nombre ≥ 0 (kg CO2e par an)",
    "a negative footprint": "une empreinte négative",
    "{survey}: {declared} respondents gave their SU code, {assigned} were assigned to the nearest profile, fewer than {n} have no profile (left out of the analyses)": "{survey} : {declared} répondants ont donné leur code SU, {assigned} ont été affectés au profil le plus proche, moins de {n} n'ont pas de profil (laissés hors des analyses)",
    "{path}: the diagnostic and its private working file are GeoPackages (.gpkg)": "{path} : le diagnostic et son fichier de travail privé sont des GeoPackages (.gpkg)",
    "the population shares do not sum to 100": "les parts de population ne font pas 100 au total",
    "not a profile share": "pas une part de profil",
    "a fraction from 0 to 1 (empty where hidden)": "une fraction de 0 à 1 (vide là où elle est masquée)",
    # the room for manoeuvre and the forum's subjects
    "no such file": "fichier introuvable",
    "a levers file (.yaml)": "un fichier de leviers (.yaml)",
    "not a YAML file: {error}": "pas un fichier YAML : {error}",
    "no levers": "aucun levier",
    "a mapping 'levers:' of lever entries": "une table « levers: » de leviers",
    "not a mapping": "pas une table",
    "subject key: {fr: title, en: title}": "clé du sujet : {fr: titre, en: titre}",
    "not a valid lever field": "champ de levier non valide",
    "a mapping of the lever's fields": "une table des champs du levier",
    "bands or actions": "bands ou actions",
    "band codes 1, 2, 3 (source: target)": "codes de tranche 1, 2, 3 (source : cible)",
    "a target band below its source band": "une tranche cible en dessous de sa tranche source",
    "the bands the lever moves (source: target)": "les tranches que le levier déplace (source : cible)",
    "the NGC action rules of the lever": "les règles d'action NGC du levier",
    "ptal, food or repair": "ptal, food ou repair",
    "the PTAL bands counted as poor (0, 1a, …)": "les classes PTAL comptées comme faibles (0, 1a, …)",
    "a distance in metres": "une distance en mètres",
    "not a fraction": "pas une fraction",
    "a number from 0 to 1": "un nombre de 0 à 1",
    "no NGC action values for a lever": "pas de valeurs d'action NGC pour un levier",
    "an action rule evaluated on the bands (tools/ngc/su_actions.mjs)": "une règle d'action évaluée sur les tranches (tools/ngc/su_actions.mjs)",
    "no residents aged 15+ given: potentials per resident only": "pas de nombre d'habitants de 15 ans ou plus : potentiels par habitant seulement",
    "{lever}: no answer to its wish question, potential not split": "{lever} : aucune réponse à sa question d'envie, potentiel non réparti",
    "{lever}: {potential} tCO2e/yr ({low}–{high}) for {residents} residents aged 15+": "{lever} : {potential} tCO2e/an ({low}–{high}) pour {residents} habitants de 15 ans ou plus",
    "{n} lever × area pairs where a public action could unlock a potential": "{n} couples levier × zone où une action publique pourrait débloquer un potentiel",
    "willingness of the lever {lever}": "envies du levier {lever}",
    "no wish question for this subject": "pas de question d'envie pour ce sujet",
    "--residents: expected a number of residents above 0, got {value}": "--residents : un nombre d'habitants supérieur à 0 était attendu, reçu {value}",
    "the forum: a panel per impact subject (PDF, PNG, QGIS layout) and the ballots": "le forum : un panneau par sujet (PDF, PNG, mise en page QGIS) et les bulletins de vote",
    "no forum subjects in this diagnostic": "pas de sujets du forum dans ce diagnostic",
    "a diagnostic made with the SU answers' six habits (qet-geo diagnostic summarize --su, or qet-geo run)": "un diagnostic fait avec les six habitudes des réponses SU (qet-geo diagnostic summarize --su, ou qet-geo run)",
    # the citizen vote (qet_geo/forum/votes.py)
    "a subject without a key": "un sujet sans clé",
    "a subject key": "une clé de sujet",
    "a subject name already given on row {first}": "un nom de sujet déjà donné ligne {first}",
    "keys and titles that name one subject each": "des clés et des titres qui nomment chacun un seul sujet",
    "a subject key already given on row {first}": "une clé de sujet déjà donnée ligne {first}",
    "each subject once": "chaque sujet une fois",
    "no subject in the file": "aucun sujet dans le fichier",
    "key and title (one row per subject)": "key et title (une ligne par sujet)",
    "ballot_id, and subject (one choice per ballot) or rank_1, rank_2, … (ranked ballots); area optional": "ballot_id, et subject (un choix par bulletin) ou rank_1, rank_2, … (bulletins classés) ; area facultative",
    "both a subject column and rank columns: one kind of ballot per file": "à la fois une colonne subject et des colonnes de rang : une seule sorte de bulletin par fichier",
    "a rank column without the one before it": "une colonne de rang sans celle qui la précède",
    "{column} before it": "{column} avant elle",
    "ranks start at 1": "les rangs commencent à 1",
    "a subject: {keys} (or its title)": "un sujet : {keys} (ou son titre)",
    "a ballot without an id": "un bulletin sans identifiant",
    "a ballot id, once in the file": "un identifiant de bulletin, une seule fois dans le fichier",
    "a ballot id already given on row {first}": "un identifiant de bulletin déjà donné ligne {first}",
    "a rank given after an empty one": "un rang rempli après un rang vide",
    "{before} filled before {column}": "{before} rempli avant {column}",
    "an unknown subject": "un sujet inconnu",
    "a subject ranked twice on one ballot (already {column})": "un sujet classé deux fois sur un bulletin (déjà en {column})",
    "each subject once on a ballot": "chaque sujet une seule fois par bulletin",
    "an empty ballot: no subject chosen": "un bulletin vide : aucun sujet choisi",
    "{bad} of {rows} rows cannot be counted ({problems} problems): the vote is not counted until every ballot can be, so that none is left out silently": "{bad} lignes sur {rows} ne peuvent pas être comptées ({problems} problèmes) : le vote n'est pas dépouillé tant que chaque bulletin ne peut pas l'être, pour qu'aucun ne soit écarté sans le dire",
    "every row a valid ballot": "chaque ligne un bulletin valable",
    "no ballot in the file": "aucun bulletin dans le fichier",
    "an area id the area map lacks": "un identifiant de zone absent de la carte des zones",
    "an area id of {areas}": "un identifiant de zone de {areas}",
    "an area column for a vote by area": "une colonne area pour un vote par zone",
    "ranked ballots, counted by instant run-off": "bulletins classés, dépouillés par vote alternatif (second tour instantané)",
    "one subject per ballot, counted by plurality": "un sujet par bulletin, dépouillé à la majorité relative",
    "{source}: {n} ballots ({method})": "{source} : {n} bulletins ({method})",
    "{rank}. {title} ({key}): {votes} votes, {share} [{low}–{high}]": "{rank}. {title} ({key}) : {votes} voix, {share} [{low}–{high}]",
    "Borda {points}": "Borda {points}",
    "{title} elected with {votes} of {active} ballots counting": "{title} élu avec {votes} des {active} bulletins encore en jeu",
    "{title} eliminated": "{title} éliminé",
    "(tie broken by fewer first choices, then the subjects' order)": "(égalité départagée par le moins de premiers choix, puis par l'ordre des sujets)",
    "round {k}: {votes} ({exhausted} exhausted); {then}": "tour {k} : {votes} ({exhausted} épuisés) ; {then}",
    "winner: {title} ({key})": "sujet retenu : {title} ({key})",
    "equal votes: decided by fewer first choices, then by the subjects' order": "égalité de voix : départagée par le moins de premiers choix, puis par l'ordre des sujets",
    "equal votes: decided by the subjects' order": "égalité de voix : départagée par l'ordre des sujets",
    "statistical tie with {title}: their 95% intervals overlap": "ex aequo statistique avec {title} : leurs intervalles à 95 % se recouvrent",
    "the lead over {title} is beyond the 95% intervals": "l'avance sur {title} dépasse les intervalles à 95 %",
    "Borda count (consensus check): {title} first": "méthode de Borda (contrôle du consensus) : {title} en tête",
    "the same subject": "le même sujet",
    "another subject than the run-off's": "un autre sujet que celui du vote alternatif",
    "{areas} areas: {shown} shown, {hidden} hidden (fewer than {n} ballots, or hidden with such an area so that none is given back by difference)": "{areas} zones : {shown} montrées, {hidden} masquées (moins de {n} bulletins, ou masquées avec une telle zone pour qu'aucune ne se retrouve par différence)",
    "{area}: {n} ballots, {title} ahead ({share})": "{area} : {n} bulletins, {title} en tête ({share})",
    "{n} ballots without an area (counted in the whole vote only)": "{n} bulletins sans zone (comptés dans le vote d'ensemble seulement)",
    "{n} area ids read with their lost leading zeros": "{n} identifiants de zone lus avec leurs zéros initiaux perdus",
    "the citizen vote": "le vote citoyen",
    "the citizen vote (tables, chart, vote per area)": "le vote citoyen (tableaux, graphique, vote par zone)",
    "the citizen vote: {n} ballots, subject chosen: {subject}": "le vote citoyen : {n} bulletins, sujet choisi : {subject}",
    "{name} is for the dask engine: add {engine} dask": "{name} sert au moteur dask : ajouter {engine} dask",
    "a scheduler address, tcp://HOST:8786": "l'adresse d'un ordonnanceur, tcp://HÔTE:8786",
    "a whole number from 1 to {n}": "un nombre entier de 1 à {n}",
    "{a} and {b} exclude each other: the workers of a running scheduler are its own": "{a} et {b} s'excluent : les workers d'un ordonnanceur en marche sont les siens",
    "local engine (this process)": "moteur local (ce processus)",
    "Dask, scheduler {address}": "Dask, ordonnanceur {address}",
    "Dask, local cluster of {n} worker(s)": "Dask, grappe locale de {n} worker(s)",
    "the dask engine needs dask.distributed: pip install 'qet-geo[dask]'": "le moteur dask a besoin de dask.distributed : pip install 'qet-geo[dask]'",
    "no Dask scheduler answers at {address}: {error}": "aucun ordonnanceur Dask ne répond à {address} : {error}",
    "a partition could not be computed: its Dask workers died each time it ran (memory? smaller partitions: --tile): {error}": "une partition n'a pas pu être calculée : ses workers Dask sont morts à chaque essai (mémoire ? partitions plus petites : --tile) : {error}",
    "a tile side in metres, from 1,000 to 1,000,000": "un côté de tuile en mètres, de 1 000 à 1 000 000",
    "an area id that is not an INSEE IRIS or commune code: no département to partition by": "un identifiant de zone qui n'est pas un code IRIS ou commune de l'INSEE : pas de département pour partitionner",
    "9-character IRIS or 5-character commune codes (751010101, 2A0040000), or partitions by tile": "des codes IRIS à 9 caractères ou commune à 5 caractères (751010101, 2A0040000), ou des partitions par tuile",
    "no GTFS feed given": "aucun flux GTFS donné",
    "a zip or a folder": "un zip ou un dossier",
    "no GTFS feed in this folder": "aucun flux GTFS dans ce dossier",
    "stops.txt and the other files of a feed, or feeds (zips or folders) inside it": "stops.txt et les autres fichiers d'un flux, ou des flux (zips ou dossiers) à l'intérieur",
    "the same GTFS feed is given twice": "le même flux GTFS est donné deux fois",
    "each feed once": "chaque flux une fois",
    "feed {name}: service day {date} ({how}), {routes} routes, {departures} departures in the window": "flux {name} : jour de service {date} ({how}), {routes} lignes, {departures} départs dans le créneau",
    "{n} access points of different feeds within 5 m of each other and sharing a mode counted as one": "{n} points d'accès de flux différents à moins de 5 m l'un de l'autre et d'un même mode comptés comme un seul",
    "computed in {n} partitions ({by}), engine {engine}": "calculé en {n} partitions ({by}), moteur {engine}",
    "large runs (regions, a country)": "grands calculs (régions, un pays)",
    "{label}: partition {done}/{total}": "{label} : partition {done}/{total}",
    "partition {done}/{total}": "partition {done}/{total}",
    'a path in quotes, or a list of paths ["star.zip", "ter.zip"]': 'un chemin entre guillemets, ou une liste de chemins ["star.zip", "ter.zip"]',
    "the grid has {points:,} points over the areas, over the limit of {limit:,}: choose a wider spacing, or raise the limit with the environment variable {variable}": "la grille a {points:,} points sur les zones, au-delà de la limite de {limit:,} : choisir un pas plus large, ou relever la limite avec la variable d'environnement {variable}",
    "{name} is for the partitions by tile: add {by} tile": "{name} sert aux partitions par tuile : ajouter {by} tile",
    "{expected}: {path}": "{expected} : {path}",
    "a GTFS zip in the folder of feeds without stops.txt: left out": "un zip sans stops.txt dans le dossier des flux GTFS : laissé de côté",
    "a GTFS feed (stops.txt, routes.txt, trips.txt, stop_times.txt…)": "un flux GTFS (stops.txt, routes.txt, trips.txt, stop_times.txt…)",
}


def set_language(language: str | None) -> None:
    """Set the language of messages ("fr", "en", a locale such as "fr_FR"; None: from env)."""
    global _language
    _language = None if language is None else _short(language)


def language() -> str:
    """The current language of messages: "fr" or "en"."""
    if _language is not None:
        return _language
    for variable in ("QET_GEO_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return _short(value)
    return "en"


def _short(value: str) -> str:
    return "fr" if value.lower().startswith("fr") else "en"


def forum_language(value: str | None = None) -> str:
    """The language of an output meant for a forum (report, web map, poster, project):
    "fr" unless "en" (or an English locale) is asked; never the language of messages."""
    return "fr" if value is None or not str(value).strip() else _short(str(value).strip())


def either(items) -> str:
    """Alternatives said in the language of their message: "'a' or 'b'", "1, 2 or 3"
    (a :class:`Message`: "ou" in French); one item as it is."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return items[0] if items else ""
    return Message("{rest} or {last}", rest=", ".join(items[:-1]), last=items[-1])


def tr(text: str | None, /, **values) -> str | None:
    """``text`` in the current language, with ``{name}`` fields filled from ``values``."""
    return translate(language(), text, **values)


def translate(lang: str, text: str | None, /, **values) -> str | None:
    """``text`` in ``lang`` ("fr" or "en"), whatever the language of messages: what a saved
    output says must not depend on the language the command's messages were in."""
    if text is None:
        return None
    if isinstance(text, Message) and not values:
        template = text.template
        # by its message id, no re-parsing; a template of no words ("{code}: {range}") is
        # the same in every language
        if lang != "fr" or template in _FR_EXACT or not _WORD.search(_FIELD.sub("", template)):
            return translate(
                lang,
                template,
                **{
                    k: translate(lang, v) if isinstance(v, Message) else v
                    for k, v in text.values.items()
                },
            )
        text = str(text)  # a template not in the catalogue (yet): the text as any other
    if lang == "fr":
        text = _FR_EXACT.get(text, text)
        values = {k: _FrenchCount(v) if isinstance(v, Count) else v for k, v in values.items()}
    return text.format(**values) if values else text


def retranslate(lang: str, message: str | None) -> str | None:
    """A message already made by :func:`tr` (in French or English), in ``lang``: the note a
    model keeps from its fit is shown in the language of the output it lands in.

    Only for the model files saved by older versions, whose notes are translated text (the
    ones saved now keep message ids and values, translated when shown); new code translates
    a :class:`Message` by its template with :func:`tr`, never by re-parsing text. A message
    of no known template is given back as it is; one made of known messages joined by "; "
    (a warning and its advice) is given back with each of them in ``lang``."""
    if message is None:
        return None
    found = _retranslate_known(lang, message)
    if found is not None:
        return found
    joined = _retranslate_joined(lang, message)
    return message if joined is None else joined


def _retranslate_joined(lang: str, message: str) -> str | None:
    """``message`` as known messages joined by "; ", each in ``lang``; None if it is not."""
    start = 0
    while (cut := message.find("; ", start)) >= 0:
        start = cut + 2
        head = _retranslate_known(lang, message[:cut])
        if head is None:
            continue
        rest = message[cut + 2 :]
        tail = _retranslate_known(lang, rest)
        if tail is None:
            tail = _retranslate_joined(lang, rest)
        if tail is not None:
            return f"{head}; {tail}"
    return None


def _retranslate_known(lang: str, message: str) -> str | None:
    """``message`` in ``lang`` if it is a known message (in either language), else None."""
    if lang == "fr":
        if message in _FR_EXACT:
            return _FR_EXACT[message]
        if message in _FR_EXACT.values():
            return message
        pairs = [(en, fr) for en, fr in _FR_EXACT.items() if en != fr]
    else:
        reverse = {fr: en for en, fr in _FR_EXACT.items()}
        if message in reverse:
            return reverse[message]
        if message in _FR_EXACT:
            return message
        pairs = [(fr, en) for en, fr in _FR_EXACT.items() if en != fr]
    # the most specific template first; none made only of fields
    templates = [(len(_FIELD.sub("", a)), a, b) for a, b in pairs if "{" in a]
    for _, source, target in sorted((t for t in templates if t[0] >= 8), key=lambda t: -t[0]):
        match = _template_regex(source).fullmatch(message)
        if match:
            values = match.groupdict()
            return _FIELD.sub(lambda m, v=values: v.get(m.group(1), m.group(0)), target)
    for _, _source, target in sorted((t for t in templates if t[0] >= 8), key=lambda t: -t[0]):
        if _template_regex(target).fullmatch(message):
            return message  # already in ``lang``
    return None


_WORD = re.compile(r"[^\W\d_]")
_FIELD = re.compile(r"\{(\w+)(?:![rsa])?(?::[^{}]*)?\}")


def _template_regex(template: str) -> re.Pattern:
    """``template``'s text with each ``{field}`` (format spec or not) as a named group."""
    parts, seen, last = [], set(), 0
    for field in _FIELD.finditer(template):
        parts.append(re.escape(template[last : field.start()]))
        name = field.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        last = field.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts), re.S)
