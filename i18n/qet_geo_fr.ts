<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>qet-geo</name>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="40"/>
        <source>Diagnostic: satisfaction</source>
        <translation>Diagnostic : satisfaction</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="41"/>
        <source>Diagnostic: wishes to change</source>
        <translation>Diagnostic : envies de changer</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="42"/>
        <source>Diagnostic: barriers</source>
        <translation>Diagnostic : freins</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="43"/>
        <source>Diagnostic: trips</source>
        <translation>Diagnostic : déplacements</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="44"/>
        <source>Diagnostic: carbon footprint</source>
        <translation>Diagnostic : empreinte carbone</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="45"/>
        <source>Diagnostic: profiles</source>
        <translation>Diagnostic : profils</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="46"/>
        <source>Diagnostic: testimonies</source>
        <translation>Diagnostic : témoignages</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="47"/>
        <source>Diagnostic: estimates per area (from the profile mix)</source>
        <translation>Diagnostic : estimations par zone (d'après le mélange de profils)</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="48"/>
        <source>Diagnostic: against the place (transit and shops per band)</source>
        <translation>Diagnostic : face au lieu (transports et commerces par classe)</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="49"/>
        <source>Forum: impact subjects, ranked</source>
        <translation>Forum : sujets d'impact, classés</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="50"/>
        <source>Room for manoeuvre: potential per lever and profile</source>
        <translation>Marges de manœuvre : potentiel par levier et profil</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="51"/>
        <source>Room for manoeuvre: saving per lever and band</source>
        <translation>Marges de manœuvre : économie par levier et tranche</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="52"/>
        <source>Room for manoeuvre: where a public action could unlock it</source>
        <translation>Marges de manœuvre : là où une action publique pourrait la débloquer</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="53"/>
        <source>Forum: potential of each subject per area</source>
        <translation>Forum : potentiel de chaque sujet par zone</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="54"/>
        <source>Room for manoeuvre: potential of each lever per area</source>
        <translation>Marges de manœuvre : potentiel de chaque levier par zone</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="81"/>
        <source>Analyse the diagnostic</source>
        <translation>Analyser le diagnostic</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="87"/>
        <source>diagnostic,EMdV,Espace et Mode de Vie,Nos Gestes Climat,NGC,profiles,satisfaction,barriers,trips,carbon,disclosure</source>
        <translation>diagnostic,EMdV,Espace et Mode de Vie,Nos Gestes Climat,NGC,profils,satisfaction,freins,déplacements,carbone,secret statistique</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="91"/>
        <source>The Quartiers en Transitions diagnostic per usage profile and for the neighbourhood, as the command qet-geo diagnostic summarize gives it: satisfaction with the neighbourhood, wishes to change and their barriers, trips with their distance classes (from the Espace et Mode de Vie answers) and the mean carbon footprint (from the Nos Gestes Climat answers), each share with its interval.

Give the SU answers (for the number of respondents per profile), the EMdV answers, the NGC answers or both, and the profiles: NEAR's Su Data.json or a saved profile model. Each respondent is linked to the profile whose code it gave, else to the nearest by its six Sphères d'Usages answers. The neighbourhood figure weights each profile by its share of the population.

The GeoPackage holds aggregates only, a CSV beside it for each table: every value under the threshold (11 respondents by default) is hidden, with the values that would give it back. The private working file beside it (name.private.gpkg, never to be shared) holds every free text with its id, the links to the profiles and the rejected rows; a reviewer lists the testimonies to publish in a review file (text_id and publish columns), whose texts are published with e-mails, phone numbers and street numbers masked.

With an area map (the GeoPackage of Map usage profiles by area, with the profile shares of each area), every figure is also estimated per area from its profile mix, flagged "estimation par profils", and loaded as a map layer. With the transit access (PTAL) and proximity GeoPackages too, transit satisfaction and the barrier "no stop near my home" are set against PTAL, food-shop satisfaction and "no second-hand shop near me" against the distance to the food and repair services named, per area and per band.

With the SU answers' six habits, the room for manoeuvre too: each lever's saving per person (the Nos Gestes Climat footprint of the respondent's band minus the lever's target band), its potential in tCO2e per year for the residents aged 15+ (the area map's census, or the number given), per profile and per area, split by willingness (already done, planned, wished but blocked, not wanted), the areas where residents are blocked and the measured constraint is poor (what a public action could unlock), and the forum's impact subjects ranked. A potential, not a forecast. The levers are the built-in ones, or a levers file (.yaml) of the same form.</source>
        <translation>Le diagnostic Quartiers en Transitions par profil d'usages et pour le quartier, tel que le donne la commande qet-geo diagnostic summarize : la satisfaction vis-à-vis du quartier, les envies de changer et leurs freins, les déplacements avec leurs classes de distance (d'après les réponses Espace et Mode de Vie) et l'empreinte carbone moyenne (d'après les réponses Nos Gestes Climat), chaque part avec son intervalle.

Donnez les réponses SU (pour le nombre de répondants par profil), les réponses EMdV, les réponses NGC ou les deux, et les profils : le Su Data.json de NEAR ou un modèle de profils enregistré. Chaque répondant est relié au profil dont il a donné le code, sinon au plus proche d'après ses six réponses Sphères d'Usages. Le chiffre du quartier pondère chaque profil par sa part de la population.

Le GeoPackage ne contient que des agrégats, avec un CSV à côté pour chaque table : toute valeur sous le seuil (11 répondants par défaut) est masquée, avec les valeurs qui permettraient de la retrouver. Le fichier de travail privé à côté (nom.private.gpkg, à ne jamais partager) contient chaque texte libre avec son identifiant, les liens aux profils et les lignes rejetées ; un relecteur liste les témoignages à publier dans un fichier de relecture (colonnes text_id et publish), dont les textes sont publiés avec les e-mails, les numéros de téléphone et les numéros de rue masqués.

Avec une carte par zone (le GeoPackage de Cartographier les profils d'usages par zone, avec les parts des profils de chaque zone), chaque chiffre est aussi estimé par zone d'après son mélange de profils, marqué « estimation par profils », et chargé comme couche de carte. Avec aussi les GeoPackages d'accès aux transports (PTAL) et de proximité, la satisfaction envers les transports et le frein « pas d'arrêt près de chez moi » sont mis en regard du PTAL, la satisfaction envers les commerces alimentaires et « pas de boutique d'occasion près de chez moi » de la distance aux services d'alimentation et de réparation nommés, par zone et par classe.

Avec les six habitudes des réponses SU, les marges de manœuvre aussi : l'économie par personne de chaque levier (l'empreinte Nos Gestes Climat de la tranche du répondant moins celle de la tranche visée par le levier), son potentiel en tCO2e par an pour les habitants de 15 ans ou plus (le recensement de la carte par zone, ou le nombre donné), par profil et par zone, réparti selon les envies (déjà fait, prévu, souhaité mais bloqué, non voulu), les zones où les habitants n'ont pas le choix et où la contrainte mesurée est faible (ce qu'une action publique pourrait débloquer), et les sujets d'impact du forum classés. Un potentiel, pas une prévision. Les leviers sont ceux intégrés, ou un fichier de leviers (.yaml) de même forme.</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="132"/>
        <source>SU answers (NEAR export with Su ID, or the six answers)</source>
        <translation>Réponses SU (export NEAR avec Su ID, ou les six réponses)</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="140"/>
        <source>Espace et Mode de Vie answers</source>
        <translation>Réponses Espace et Mode de Vie</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="149"/>
        <source>Nos Gestes Climat answers</source>
        <translation>Réponses Nos Gestes Climat</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="160"/>
        <source>Review file: the testimonies to publish (text_id, publish)</source>
        <translation>Fichier de relecture : les témoignages à publier (text_id, publish)</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="163"/>
        <location filename="../algorithms/forumvotes.py" line="33"/>
        <source>Tables</source>
        <translation>Tables</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="165"/>
        <location filename="../algorithms/forumvotes.py" line="33"/>
        <location filename="../algorithms/importemdv.py" line="36"/>
        <location filename="../algorithms/importsurvey.py" line="135"/>
        <source>All files</source>
        <translation>Tous les fichiers</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="170"/>
        <source>Area map (GeoPackage from Map usage profiles by area): estimates per area</source>
        <translation>Carte par zone (GeoPackage de Cartographier les profils d'usages par zone) : estimations par zone</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="171"/>
        <source>Transit access (GeoPackage from Transit access (PTAL) from GTFS)</source>
        <translation>Accès aux transports (GeoPackage de « Accessibilité en transports (PTAL) depuis un GTFS »)</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="172"/>
        <source>Proximity of services (GeoPackage from Proximity to services)</source>
        <translation>Proximité des services (GeoPackage de « Proximité des services »)</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="176"/>
        <source>Service of the food shops (in the proximity file)</source>
        <translation>Service des commerces alimentaires (dans le fichier de proximité)</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="177"/>
        <source>Service of the repair and second-hand shops</source>
        <translation>Service des réparateurs et boutiques d'occasion</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="184"/>
        <source>Levers file (.yaml; default: the built-in levers)</source>
        <translation>Fichier des leviers (.yaml ; par défaut : les leviers intégrés)</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="194"/>
        <source>Residents aged 15+ (default: the area map's census)</source>
        <translation>Habitants de 15 ans ou plus (par défaut : le recensement de la carte par zone)</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="203"/>
        <source>Diagnostic (GeoPackage)</source>
        <translation>Diagnostic (GeoPackage)</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="203"/>
        <location filename="../algorithms/analysediagnostic.py" line="211"/>
        <location filename="../algorithms/forumpanels.py" line="67"/>
        <location filename="../algorithms/mapprofiles.py" line="142"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="210"/>
        <source>Private working file (default: beside the diagnostic, name.private.gpkg)</source>
        <translation>Fichier de travail privé (par défaut : à côté du diagnostic, nom.private.gpkg)</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="217"/>
        <location filename="../algorithms/forumpanels.py" line="79"/>
        <location filename="../algorithms/forumvotes.py" line="98"/>
        <source>Files written</source>
        <translation>Fichiers écrits</translation>
    </message>
    <message>
        <location filename="../algorithms/analysediagnostic.py" line="237"/>
        <source>The transit access and proximity files set the areas' figures against the place: give the area map too (AREAS).</source>
        <translation>Les fichiers d'accès aux transports et de proximité mettent les chiffres des zones en regard du lieu : donnez aussi la carte par zone (AREAS).</translation>
    </message>
    <message>
        <location filename="../algorithms/assignprofiles.py" line="35"/>
        <source>Assign usage profiles</source>
        <translation>Affecter les profils d'usages</translation>
    </message>
    <message>
        <location filename="../algorithms/assignprofiles.py" line="41"/>
        <source>profiles,Sphères d'Usages,SU,NEAR,assign,classify</source>
        <translation>profils,Sphères d'Usages,SU,NEAR,affecter,classer</translation>
    </message>
    <message>
        <location filename="../algorithms/assignprofiles.py" line="44"/>
        <source>Places each respondent in one of the profiles of a model file written by 'Detect usage profiles' (NEAR's script 2), for the survey the model was fitted on or any later one with the same answers. An answer seen when the model was fitted keeps its profile; any other goes to the nearest profile. Adds the profile, its name, the distance to the profile's centre and an outlier flag (farther than 99 % of the fitting answers). A layer without the model's answers is refused with the missing fields named.</source>
        <translation>Place chaque répondant dans l'un des profils d'un fichier modèle écrit par « Détecter les profils d'usages » (script 2 de NEAR), pour l'enquête sur laquelle le modèle a été ajusté ou toute enquête ultérieure aux mêmes réponses. Une réponse vue lors de l'ajustement garde son profil ; toute autre va au profil le plus proche. Ajoute le profil, son nom, la distance au centre du profil et un indicateur de réponse atypique (plus loin que 99 % des réponses de l'ajustement). Une couche sans les réponses du modèle est refusée, avec les champs manquants nommés.</translation>
    </message>
    <message>
        <location filename="../algorithms/assignprofiles.py" line="56"/>
        <location filename="../algorithms/computefootprints.py" line="80"/>
        <location filename="../algorithms/detectprofiles.py" line="173"/>
        <location filename="../algorithms/importsurvey.py" line="231"/>
        <location filename="../algorithms/mapprofiles.py" line="90"/>
        <location filename="../algorithms/profilesvsconstraints.py" line="88"/>
        <source>Respondents</source>
        <translation>Répondants</translation>
    </message>
    <message>
        <location filename="../algorithms/assignprofiles.py" line="60"/>
        <location filename="../algorithms/detectprofiles.py" line="285"/>
        <source>Profile model</source>
        <translation>Modèle de profils</translation>
    </message>
    <message>
        <location filename="../algorithms/assignprofiles.py" line="65"/>
        <location filename="../algorithms/detectprofiles.py" line="289"/>
        <source>Respondents with their profile</source>
        <translation>Répondants avec leur profil</translation>
    </message>
    <message>
        <location filename="../algorithms/assignprofiles.py" line="67"/>
        <source>Respondents assigned</source>
        <translation>Répondants affectés</translation>
    </message>
    <message>
        <location filename="../algorithms/assignprofiles.py" line="68"/>
        <source>Outliers</source>
        <translation>Réponses atypiques</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="110"/>
        <source>Areas</source>
        <translation>Zones</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="128"/>
        <source>Suppress areas and cells under (respondents)</source>
        <translation>Masquer zones et cases sous (répondants)</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="138"/>
        <source>Allow a threshold under 3 (recorded)</source>
        <translation>Autoriser un seuil sous 3 (consigné)</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="151"/>
        <source>Service day YYYY-MM-DD (default: the busiest weekday of the feed)</source>
        <translation>Jour de service AAAA-MM-JJ (par défaut : le jour de semaine le plus chargé du flux)</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="157"/>
        <source>Time window</source>
        <translation>Créneau horaire</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="164"/>
        <location filename="../algorithms/proximity.py" line="136"/>
        <source>Grid spacing (m)</source>
        <translation>Pas de la grille (m)</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="187"/>
        <source>Population field</source>
        <translation>Champ de population</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="233"/>
        <source>Shown in percent; scripts and qgis_process give {name} as a share from 0 to 1 ({example} for {percent} %).</source>
        <translation>Affiché en pourcentage ; les scripts et qgis_process donnent {name} comme une part de 0 à 1 ({example} pour {percent} %).</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="256"/>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="315"/>
        <source>Survey</source>
        <translation>Enquête</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="316"/>
        <source>Footprints</source>
        <translation>Empreintes</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="317"/>
        <source>Profiles</source>
        <translation>Profils</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="318"/>
        <source>Maps</source>
        <translation>Cartes</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="319"/>
        <source>Constraints of the place</source>
        <translation>Contraintes du lieu</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="320"/>
        <source>Diagnostic</source>
        <translation>Diagnostic</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="321"/>
        <source>Forum outputs</source>
        <translation>Sorties pour le forum</translation>
    </message>
    <message>
        <location filename="../algorithms/computefootprints.py" line="41"/>
        <source>Meat meals (SU code 1/2/3)</source>
        <translation>Repas avec viande (code SU 1/2/3)</translation>
    </message>
    <message>
        <location filename="../algorithms/computefootprints.py" line="42"/>
        <source>Flights a year (SU code 1/2/3)</source>
        <translation>Vols par an (code SU 1/2/3)</translation>
    </message>
    <message>
        <location filename="../algorithms/computefootprints.py" line="43"/>
        <source>Weekly transport mode (SU code 1/2/3)</source>
        <translation>Mode de transport de la semaine (code SU 1/2/3)</translation>
    </message>
    <message>
        <location filename="../algorithms/computefootprints.py" line="44"/>
        <source>Purchases (SU code 1/2/3)</source>
        <translation>Achats (code SU 1/2/3)</translation>
    </message>
    <message>
        <location filename="../algorithms/computefootprints.py" line="45"/>
        <source>Screen time (SU code 1/2/3)</source>
        <translation>Temps d'écran (code SU 1/2/3)</translation>
    </message>
    <message>
        <location filename="../algorithms/computefootprints.py" line="46"/>
        <source>Heating energy (SU code 1/2/3; optional)</source>
        <translation>Énergie de chauffage (code SU 1/2/3 ; facultatif)</translation>
    </message>
    <message>
        <location filename="../algorithms/computefootprints.py" line="58"/>
        <source>Compute footprints per usage</source>
        <translation>Calculer les empreintes par usage</translation>
    </message>
    <message>
        <location filename="../algorithms/computefootprints.py" line="64"/>
        <source>carbon,footprint,kgCO2e,Nos Gestes Climat,usage,SU</source>
        <translation>carbone,empreinte,kgCO2e,Nos Gestes Climat,usage,SU</translation>
    </message>
    <message>
        <location filename="../algorithms/computefootprints.py" line="67"/>
        <source>Adds to each respondent the carbon footprint of each usage, in kgCO2e per year, following Nos Gestes Climat (the version is in the log): food, air travel, daily mobility, purchases and digital, and their total; heating apart, outside the total.

Each answer of the Sphères d'Usages survey (code 1, 2 or 3) stands for a representative Nos Gestes Climat situation; the _low and _high fields give the range of the answer's band. A missing answer gives an empty footprint, never zero. The input layer is not changed.</source>
        <translation>Ajoute à chaque répondant l'empreinte carbone de chaque usage, en kgCO2e par an, selon Nos Gestes Climat (la version est dans le journal) : alimentation, avion, mobilité quotidienne, achats et numérique, et leur total ; le chauffage à part, hors total.

Chaque réponse à l'enquête Sphères d'Usages (code 1, 2 ou 3) représente une situation Nos Gestes Climat type ; les champs _low et _high donnent la fourchette de la classe de réponse. Une réponse manquante donne une empreinte vide, jamais zéro. La couche d'entrée n'est pas modifiée.</translation>
    </message>
    <message>
        <location filename="../algorithms/computefootprints.py" line="98"/>
        <source>Heating footprint (outside the total)</source>
        <translation>Empreinte du chauffage (hors total)</translation>
    </message>
    <message>
        <location filename="../algorithms/computefootprints.py" line="103"/>
        <source>Respondents with footprints</source>
        <translation>Répondants avec empreintes</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="74"/>
        <source>Profile names</source>
        <translation>Noms des profils</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="75"/>
        <source>Profile colours</source>
        <translation>Couleurs des profils</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="83"/>
        <source>NEAR method (Sphères d'Usages)</source>
        <translation>méthode NEAR (Sphères d'Usages)</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="84"/>
        <source>k-means</source>
        <translation>k-moyennes</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="85"/>
        <source>k-modes (answers as categories)</source>
        <translation>k-modes (réponses en catégories)</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="86"/>
        <source>k-prototypes (answers and footprints)</source>
        <translation>k-prototypes (réponses et empreintes)</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="87"/>
        <source>Ward hierarchical clustering</source>
        <translation>classification hiérarchique de Ward</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="88"/>
        <source>Gaussian mixture</source>
        <translation>mélange gaussien</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="94"/>
        <source>NEAR's current weights</source>
        <translation>poids actuels de NEAR</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="94"/>
        <source>NEAR's 2023 weights</source>
        <translation>poids NEAR de 2023</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="103"/>
        <source>Field of {variable} (default: the field of that name)</source>
        <translation>Champ de {variable} (par défaut : le champ de ce nom)</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="141"/>
        <source>Detect usage profiles</source>
        <translation>Détecter les profils d'usages</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="147"/>
        <source>profiles,Sphères d'Usages,SU,NEAR,clustering,k-means,typology</source>
        <translation>profils,Sphères d'Usages,SU,NEAR,classification,k-means,typologie</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="150"/>
        <source>Finds the groups of respondents who share carbon habits (usage profiles) from their six Sphères d'Usages answers (codes 1/2/3).

The NEAR method reproduces NEAR's detection (NEAR's current or 2023 weights): merge the closest profiles while there are more than the minimum count, the smallest is under the minimum share and the largest under the maximum share; or until the target count remains. Tied merges are joined, and identical answers grouped first (same result, any number of respondents). Other methods (k-means, k-modes, k-prototypes, Ward, Gaussian mixture) need k; k = 0 chooses it in the range by silhouette, Calinski–Harabasz and Davies–Bouldin.

Profiles are numbered by decreasing size (the NEAR order is kept in the model); stability is measured by bootstrap. Outputs: the model file (for 'Assign usage profiles'), the respondents with their profile, an HTML report with portraits, warnings and dendrogram, and a CSV of the profiles. Respondent weights (a weight field) are honoured. The input layer is not changed.

In scripts and qgis_process, METHOD takes the codes near, kmeans, kmodes, kprototypes, ward, gmm and WEIGHTS current, 2023 (or their position, from 0); MIN_SHARE and MAX_SHARE are shares from 0 to 1 (0.11 for 11 %), shown here in percent.</source>
        <translation>Trouve les groupes de répondants qui partagent des habitudes carbonées (profils d'usages) à partir de leurs six réponses Sphères d'Usages (codes 1/2/3).

La méthode NEAR reproduit la détection de NEAR (poids actuels ou de 2023) : fusionner les profils les plus proches tant qu'il y en a plus que le nombre minimal, que le plus petit est sous la part minimale et le plus grand sous la part maximale ; ou jusqu'à ce qu'il reste le nombre cible. Les fusions à égalité sont réunies, et les réponses identiques regroupées d'abord (même résultat, quel que soit le nombre de répondants). Les autres méthodes (k-moyennes, k-modes, k-prototypes, Ward, mélange gaussien) demandent k ; k = 0 le choisit dans l'intervalle par silhouette, Calinski–Harabasz et Davies–Bouldin.

Les profils sont numérotés par taille décroissante (l'ordre NEAR est gardé dans le modèle) ; la stabilité est mesurée par bootstrap. Sorties : le fichier modèle (pour « Affecter les profils d'usages »), les répondants avec leur profil, un rapport HTML avec portraits, avertissements et dendrogramme, et un CSV des profils. Les poids des répondants (un champ de poids) sont pris en compte. La couche d'entrée n'est pas modifiée.

Dans les scripts et qgis_process, METHOD prend les codes near, kmeans, kmodes, kprototypes, ward, gmm et WEIGHTS current, 2023 (ou leur position, à partir de 0) ; MIN_SHARE et MAX_SHARE sont des parts de 0 à 1 (0.11 pour 11 %), affichées ici en pourcentage.</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="183"/>
        <source>NEAR weights</source>
        <translation>Poids NEAR</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="188"/>
        <source>NEAR method: minimum share</source>
        <translation>méthode NEAR : part minimale</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="191"/>
        <source>NEAR method: maximum share</source>
        <translation>méthode NEAR : part maximale</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="196"/>
        <source>NEAR method: minimum number of profiles</source>
        <translation>méthode NEAR : nombre minimal de profils</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="206"/>
        <source>NEAR method: target number of profiles (0: NEAR's rule)</source>
        <translation>méthode NEAR : nombre cible de profils (0 : la règle de NEAR)</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="216"/>
        <source>Other methods: number of profiles k (0: chosen automatically)</source>
        <translation>Autres méthodes : nombre de profils k (0 : choisi automatiquement)</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="227"/>
        <source>Smallest k tried</source>
        <translation>Plus petit k essayé</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="238"/>
        <source>Largest k tried</source>
        <translation>Plus grand k essayé</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="245"/>
        <source>Random seed</source>
        <translation>Graine aléatoire</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="252"/>
        <source>Bootstrap resamples for stability (0: none)</source>
        <translation>Rééchantillonnages bootstrap pour la stabilité (0 : aucun)</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="262"/>
        <source>Respondent weight field (default: 'weight' if present, else 1)</source>
        <translation>Champ de poids des répondants (par défaut : « weight » s'il existe, sinon 1)</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="270"/>
        <source>Profile names, e.g. 1=Name;2=Other</source>
        <translation>Noms des profils, par ex. 1=Nom;2=Autre</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="277"/>
        <source>Profile colours, e.g. 1=#332288;2=#88CCEE</source>
        <translation>Couleurs des profils, par ex. 1=#332288;2=#88CCEE</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="285"/>
        <source>Profile model (*.json)</source>
        <translation>Modèle de profils (*.json)</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="293"/>
        <source>Report</source>
        <translation>Rapport</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="293"/>
        <location filename="../algorithms/exportwebmap.py" line="182"/>
        <source>HTML files (*.html)</source>
        <translation>Fichiers HTML (*.html)</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="298"/>
        <source>Profiles table</source>
        <translation>Table des profils</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="298"/>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="311"/>
        <source>Detecting profiles: {method}…</source>
        <translation>Détection des profils : {method}…</translation>
    </message>
    <message>
        <location filename="../algorithms/detectprofiles.py" line="313"/>
        <source>Stability: {n} bootstrap resamples…</source>
        <translation>Stabilité : {n} rééchantillonnages bootstrap…</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="53"/>
        <source>Export the forum poster</source>
        <translation>Exporter l'affiche du forum</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="59"/>
        <source>poster,affiche,pdf,png,A3,A0,forum</source>
        <translation>affiche,poster,pdf,png,A3,A0,forum</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="62"/>
        <source>A poster for a neighbourhood forum (in French, or English), A3 or A0 (landscape), as a PDF (text kept as text) and a PNG beside it: the map of dominant profiles (areas under the threshold grey and hatched), the portrait of each profile from the profile model, the footprint per usage of each profile against the study and the French average, sources and date. Type sizes grow with the paper so that an A0 reads across a room. Aggregates only.

With the diagnostic GeoPackage written by Analyse the diagnostic, its poster is written too, beside the first (poster.pdf: poster_diagnostic.pdf): the satisfaction, the wishes to change, the barriers and the carbon footprint per profile, in the profiles' names and colours of the area map.</source>
        <translation>Une affiche pour un forum de quartier (en français, ou en anglais), A3 ou A0 (paysage), en PDF (le texte reste du texte) et en PNG à côté : la carte des profils dominants (zones sous le seuil en gris hachuré), le portrait de chaque profil tiré du modèle de profils, l'empreinte par usage de chaque profil face à l'étude et à la moyenne française, les sources et la date. La taille des caractères suit celle du papier pour qu'un A0 se lise d'un bout à l'autre d'une salle. Agrégats seulement.

Avec le GeoPackage du diagnostic écrit par « Analyser le diagnostic », son affiche est écrite aussi, à côté de la première (affiche.pdf : affiche_diagnostic.pdf) : la satisfaction, les envies de changer, les freins et l'empreinte carbone par profil, dans les noms et les couleurs des profils de la carte par zone.</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="79"/>
        <location filename="../algorithms/exportwebmap.py" line="112"/>
        <source>Area map (GeoPackage from Map usage profiles by area)</source>
        <translation>Carte par zone (GeoPackage de « Cartographier les profils d'usages par zone »)</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="87"/>
        <source>Profile model (portraits and footprints of the profiles)</source>
        <translation>Modèle de profils (portraits et empreintes des profils)</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="95"/>
        <location filename="../algorithms/exportwebmap.py" line="141"/>
        <location filename="../algorithms/forumpanels.py" line="66"/>
        <source>Diagnostic (GeoPackage from Analyse the diagnostic)</source>
        <translation>Diagnostic (GeoPackage de « Analyser le diagnostic »)</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="98"/>
        <source>A3 landscape (42 × 29.7 cm)</source>
        <translation>A3 paysage (42 × 29,7 cm)</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="98"/>
        <source>A0 landscape (119 × 84 cm)</source>
        <translation>A0 paysage (119 × 84 cm)</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="101"/>
        <source>Paper size</source>
        <translation>Format du papier</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="104"/>
        <location filename="../algorithms/exportwebmap.py" line="155"/>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="108"/>
        <location filename="../algorithms/exportwebmap.py" line="159"/>
        <source>Date printed (YYYY-MM-DD; default: today)</source>
        <translation>Date imprimée (AAAA-MM-JJ ; par défaut : aujourd'hui)</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="113"/>
        <source>Also a PNG image</source>
        <translation>Aussi une image PNG</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="118"/>
        <source>Poster</source>
        <translation>Affiche</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="118"/>
        <source>PDF files (*.pdf)</source>
        <translation>Fichiers PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="121"/>
        <source>Poster image (PNG)</source>
        <translation>Image de l'affiche (PNG)</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="123"/>
        <source>Diagnostic poster (PDF)</source>
        <translation>Affiche du diagnostic (PDF)</translation>
    </message>
    <message>
        <location filename="../algorithms/exportposter.py" line="150"/>
        <source>Written: {path}</source>
        <translation>Écrit : {path}</translation>
    </message>
    <message>
        <location filename="../algorithms/exportwebmap.py" line="82"/>
        <source>Export the forum web map</source>
        <translation>Exporter la carte web du forum</translation>
    </message>
    <message>
        <location filename="../algorithms/exportwebmap.py" line="88"/>
        <source>web map,html,leaflet,forum,offline,carte</source>
        <translation>carte web,html,leaflet,forum,hors ligne,web map</translation>
    </message>
    <message>
        <location filename="../algorithms/exportwebmap.py" line="91"/>
        <source>One HTML page to show at a neighbourhood forum, from the area map GeoPackage written by Map usage profiles by area: the dominant profile in the profiles' colours, the share of each profile, the mean footprint in total and per usage, and, when given, transit access (PTAL) and the bivariate map profile × access; a layer control, a legend, a popup per area (n, profile mix, footprint against the study and the French average, PTAL band), title, sources and date. Areas under the threshold are grey and hatched.

With the diagnostic GeoPackage written by Analyse the diagnostic (with the area map), its themes are added per area: satisfaction, wishes to change, barriers and the carbon footprint, estimated from each area's profile mix, hidden figures shown as hidden.

Offline (the default), the page carries every script and style and uses no tile server: it works in a hall without internet. Plain background layers can be drawn instead of tiles. Only aggregates are written, never a respondent.</source>
        <translation>Une page HTML à montrer en forum de quartier, à partir du GeoPackage de la carte par zone écrit par « Cartographier les profils d'usages par zone » : le profil dominant dans les couleurs des profils, la part de chaque profil, l'empreinte moyenne totale et par usage, et, si elles sont fournies, l'accessibilité en transports (PTAL) et la carte bivariée profil × accès ; un sélecteur de couches, une légende, une fenêtre par zone (n, composition en profils, empreinte face à l'étude et à la moyenne française, classe PTAL), le titre, les sources et la date. Les zones sous le seuil sont grises et hachurées.

Avec le GeoPackage du diagnostic écrit par « Analyser le diagnostic » (avec la carte par zone), ses thèmes s'ajoutent par zone : la satisfaction, les envies de changer, les freins et l'empreinte carbone, estimés d'après la composition en profils de chaque zone, les chiffres masqués montrés comme masqués.

Hors ligne (par défaut), la page contient tous ses scripts et styles et n'utilise aucun serveur de tuiles : elle fonctionne dans une salle sans Internet. Des couches de fond simples peuvent remplacer les tuiles. Seuls des agrégats sont écrits, jamais un répondant.</translation>
    </message>
    <message>
        <location filename="../algorithms/exportwebmap.py" line="119"/>
        <source>Transit access by area (PTAL)</source>
        <translation>Accès aux transports par zone (PTAL)</translation>
    </message>
    <message>
        <location filename="../algorithms/exportwebmap.py" line="125"/>
        <source>Bivariate classes by area (Profiles against constraints)</source>
        <translation>Classes bivariées par zone (Profils et contraintes du lieu)</translation>
    </message>
    <message>
        <location filename="../algorithms/exportwebmap.py" line="133"/>
        <source>GTFS feed (zip): transit stops and lines</source>
        <translation>Flux GTFS (zip) : arrêts et lignes de transport</translation>
    </message>
    <message>
        <location filename="../algorithms/exportwebmap.py" line="148"/>
        <source>Plain background layers (drawn in grey, offline)</source>
        <translation>Couches de fond simples (en gris, hors ligne)</translation>
    </message>
    <message>
        <location filename="../algorithms/exportwebmap.py" line="167"/>
        <source>Offline: everything in the page, no tile server</source>
        <translation>Hors ligne : tout dans la page, aucun serveur de tuiles</translation>
    </message>
    <message>
        <location filename="../algorithms/exportwebmap.py" line="175"/>
        <source>OpenStreetMap background (online pages only)</source>
        <translation>Fond OpenStreetMap (pages en ligne seulement)</translation>
    </message>
    <message>
        <location filename="../algorithms/exportwebmap.py" line="182"/>
        <location filename="../algorithms/runpipeline.py" line="107"/>
        <source>Web map</source>
        <translation>Carte web</translation>
    </message>
    <message>
        <location filename="../algorithms/exportwebmap.py" line="209"/>
        <source>Web map written: {path} ({size:.0f} kB)</source>
        <translation>Carte web écrite : {path} ({size:.0f} Ko)</translation>
    </message>
    <message>
        <location filename="../algorithms/forumpanels.py" line="39"/>
        <source>Forum panels and ballots</source>
        <translation>Panneaux du forum et bulletins de vote</translation>
    </message>
    <message>
        <location filename="../algorithms/forumpanels.py" line="45"/>
        <source>forum,subjects,panels,exhibition,ballot,vote,room for manoeuvre,layout</source>
        <translation>forum,sujets,panneaux,exposition,bulletin,vote,marges de manœuvre,mise en page</translation>
    </message>
    <message>
        <location filename="../algorithms/forumpanels.py" line="50"/>
        <source>The exhibition of the forum's impact subjects, as the command qet-geo forum panels writes it, from a diagnostic made with the SU answers (Analyse the diagnostic, or the whole diagnostic): one panel per subject, ranked by its reduction potential — the potential in tCO2e per year with its interval and per resident, the residents ready, planning or blocked, the main barriers, a map of the potential per resident with the areas where a public action would unlock it, the public action — as PDF and PNG in A3 and A0 and as a QGIS print layout (panneau_&lt;subject&gt;_A3.qpt), and the ballot sheets (bulletin_vote.pdf for one choice, bulletin_vote_classement.pdf for ranked ballots; two ballots to cut per A4 page). A potential, not a forecast: the panels say so.</source>
        <translation>L'exposition des sujets d'impact du forum, telle que la commande qet-geo forum panels l'écrit, à partir d'un diagnostic fait avec les réponses SU (Analyser le diagnostic, ou tout le diagnostic) : un panneau par sujet, classé selon son potentiel de réduction — le potentiel en tCO2e par an avec son intervalle et par habitant, les habitants prêts, qui le prévoient ou qui n'ont pas le choix, les principaux freins, une carte du potentiel par habitant avec les zones où une action publique le débloquerait, l'action publique — en PDF et PNG en A3 et A0 et en mise en page QGIS (panneau_&lt;sujet&gt;_A3.qpt), et les bulletins de vote (bulletin_vote.pdf pour un choix unique, bulletin_vote_classement.pdf pour un vote par classement ; deux bulletins à découper par page A4). Un potentiel, pas une prévision : les panneaux le disent.</translation>
    </message>
    <message>
        <location filename="../algorithms/forumpanels.py" line="71"/>
        <source>A3 panels</source>
        <translation>Panneaux A3</translation>
    </message>
    <message>
        <location filename="../algorithms/forumpanels.py" line="74"/>
        <source>A0 panels</source>
        <translation>Panneaux A0</translation>
    </message>
    <message>
        <location filename="../algorithms/forumpanels.py" line="92"/>
        <source>Choose at least one paper size (A3 or A0).</source>
        <translation>Choisissez au moins un format de papier (A3 ou A0).</translation>
    </message>
    <message>
        <location filename="../algorithms/forumpanels.py" line="101"/>
        <source>Files written:</source>
        <translation>Fichiers écrits :</translation>
    </message>
    <message>
        <location filename="../algorithms/forumvotes.py" line="52"/>
        <source>Count the citizen vote</source>
        <translation>Dépouiller le vote citoyen</translation>
    </message>
    <message>
        <location filename="../algorithms/forumvotes.py" line="58"/>
        <source>forum,vote,ballots,subjects,instant run-off,Borda,disclosure</source>
        <translation>forum,vote,bulletins,sujets,vote alternatif,Borda,secret statistique</translation>
    </message>
    <message>
        <location filename="../algorithms/forumvotes.py" line="61"/>
        <source>The citizen vote of the forum on the impact subjects, as the command qet-geo forum votes counts it. The ballots are a table, one row per ballot: ballot_id and subject (one choice: counted by plurality) or rank_1, rank_2, … (ranked ballots: counted by instant run-off, with the Borda scores beside as a consensus check), and optionally area (the voter's IRIS or area id). Subjects are the usage keys of the footprints, or those of a subjects table (key and title), named by key or title, case and accents ignored.

Every problem of the file is listed (unknown subject, duplicate ballot id, empty ballot, a subject ranked twice, a rank after an empty one) and the vote is then not counted: no ballot is left out silently.

Each subject's share has its 95 % interval; when the winner's and the runner-up's overlap, the result says ex aequo statistique. By area, an area with fewer ballots than the threshold is hidden, with the next smallest when it is the only one. The folder gets vote.csv, vote_rounds.csv, vote_areas.csv, the chart vote.png and vote.pdf, and with the area map vote_areas.gpkg, the Vote theme of the web map.</source>
        <translation>Le vote citoyen du forum sur les sujets d'impact, dépouillé comme par la commande qet-geo forum votes. Les bulletins sont un tableau, une ligne par bulletin : ballot_id et subject (un choix : dépouillé à la majorité relative) ou rank_1, rank_2, … (bulletins classés : dépouillés par vote alternatif, les scores de Borda à côté pour contrôler le consensus), et facultativement area (l'IRIS ou la zone de l'électeur). Les sujets sont les clés des usages des empreintes, ou celles d'un tableau des sujets (key et title), nommés par leur clé ou leur titre, sans tenir compte des majuscules ni des accents.

Chaque problème du fichier est listé (sujet inconnu, identifiant de bulletin en double, bulletin vide, sujet classé deux fois, rang rempli après un rang vide) et le vote n'est alors pas dépouillé : aucun bulletin n'est écarté sans le dire.

La part de chaque sujet a son intervalle à 95 % ; quand ceux du premier et du deuxième se recouvrent, le résultat dit ex aequo statistique. Par zone, une zone de moins de bulletins que le seuil est masquée, avec la plus petite suivante quand elle est la seule. Le dossier reçoit vote.csv, vote_rounds.csv, vote_areas.csv, le graphique vote.png et vote.pdf, et avec la carte des zones vote_areas.gpkg, le thème Vote de la carte web.</translation>
    </message>
    <message>
        <location filename="../algorithms/forumvotes.py" line="82"/>
        <source>Ballots (ballot_id, subject or rank_1, rank_2, …, area)</source>
        <translation>Bulletins (ballot_id, subject ou rank_1, rank_2, …, area)</translation>
    </message>
    <message>
        <location filename="../algorithms/forumvotes.py" line="88"/>
        <source>Subjects table (key, title); default: the usage keys</source>
        <translation>Tableau des sujets (key, title) ; par défaut : les clés des usages</translation>
    </message>
    <message>
        <location filename="../algorithms/forumvotes.py" line="92"/>
        <source>Area map: the vote per area</source>
        <translation>Carte des zones : le vote par zone</translation>
    </message>
    <message>
        <location filename="../algorithms/forumvotes.py" line="97"/>
        <source>Subject chosen</source>
        <translation>Sujet retenu</translation>
    </message>
    <message>
        <location filename="../algorithms/forumvotes.py" line="121"/>
        <source>Vote per area</source>
        <translation>Vote par zone</translation>
    </message>
    <message>
        <location filename="../algorithms/importemdv.py" line="36"/>
        <source>Answer exports</source>
        <translation>Exports de réponses</translation>
    </message>
    <message>
        <location filename="../algorithms/importemdv.py" line="44"/>
        <source>Profiles: NEAR's Su Data.json</source>
        <translation>Profils : le Su Data.json de NEAR</translation>
    </message>
    <message>
        <location filename="../algorithms/importemdv.py" line="45"/>
        <source>Profiles: a saved profile model (instead of Su Data.json)</source>
        <translation>Profils : un modèle de profils enregistré (au lieu de Su Data.json)</translation>
    </message>
    <message>
        <location filename="../algorithms/importemdv.py" line="119"/>
        <location filename="../algorithms/importsurvey.py" line="245"/>
        <source>Number of rows read</source>
        <translation>Nombre de lignes lues</translation>
    </message>
    <message>
        <location filename="../algorithms/importemdv.py" line="121"/>
        <location filename="../algorithms/importsurvey.py" line="247"/>
        <source>Number of respondents accepted</source>
        <translation>Nombre de répondants acceptés</translation>
    </message>
    <message>
        <location filename="../algorithms/importemdv.py" line="123"/>
        <location filename="../algorithms/importsurvey.py" line="249"/>
        <source>Number of rows rejected</source>
        <translation>Nombre de lignes rejetées</translation>
    </message>
    <message>
        <location filename="../algorithms/importemdv.py" line="136"/>
        <location filename="../algorithms/importsurvey.py" line="263"/>
        <source>Rows rejected: {rejected} of {rows}; the Rejected rows table gives the reason for each.</source>
        <translation>Lignes rejetées : {rejected} sur {rows} ; la table Lignes rejetées donne la raison de chacune.</translation>
    </message>
    <message>
        <location filename="../algorithms/importemdv.py" line="152"/>
        <source>Import the Espace et Mode de Vie answers</source>
        <translation>Importer les réponses Espace et Mode de Vie</translation>
    </message>
    <message>
        <location filename="../algorithms/importemdv.py" line="155"/>
        <source>EMdV,Espace et Mode de Vie,way of life,diagnostic,NEAR,Metabase,Typeform,import</source>
        <translation>EMdV,Espace et Mode de Vie,mode de vie,diagnostic,NEAR,Metabase,Typeform,import</translation>
    </message>
    <message>
        <location filename="../algorithms/importemdv.py" line="159"/>
        <source>EMdV export (Metabase JSON or CSV, database dump, Typeform payloads)</source>
        <translation>Export EMdV (JSON ou CSV Metabase, extraction de la base, envois Typeform)</translation>
    </message>
    <message>
        <location filename="../algorithms/importemdv.py" line="162"/>
        <source>EMdV answers</source>
        <translation>Réponses EMdV</translation>
    </message>
    <message>
        <location filename="../algorithms/importemdv.py" line="165"/>
        <source>Reads the answers to the Espace et Mode de Vie form (EMdV) of the Quartiers en Transitions diagnostic, as they come out of NEAR: a Metabase export (JSON or CSV), a database dump or Typeform webhook payloads, and checks every answer against the form.

Each accepted respondent becomes one row of the answers table, each answer as its code; a question with several choices gives them as {A,B}. Free text (testimonies, the text of an “Other” choice, a zone written out) never reaches the table: the answer holds OTHER in its place, and the private working file of “Analyse the diagnostic” keeps the texts for review.

With the profiles (NEAR's Su Data.json or a saved profile model), each respondent gets its profile: the one whose code it gave (declared), else the nearest by its six Sphères d'Usages answers (assigned, with the distance).

Nothing is guessed and nothing valid is dropped: each row that cannot be used is in the Rejected rows table with its reasons, and the log names the row, the column and the value of every problem.</source>
        <translation>Lit les réponses au formulaire Espace et Mode de Vie (EMdV) du diagnostic Quartiers en Transitions, telles qu'elles sortent de NEAR : un export Metabase (JSON ou CSV), une extraction de la base ou des envois de webhook Typeform, et vérifie chaque réponse d'après le formulaire.

Chaque répondant accepté devient une ligne de la table des réponses, chaque réponse par son code ; une question à plusieurs choix les donne sous la forme {A,B}. Le texte libre (témoignages, texte d'un choix « Autre », zone écrite en toutes lettres) n'arrive jamais dans la table : la réponse porte OTHER à sa place, et le fichier de travail privé de « Analyser le diagnostic » garde les textes pour relecture.

Avec les profils (le Su Data.json de NEAR ou un modèle de profils enregistré), chaque répondant reçoit son profil : celui dont il a donné le code (déclaré), sinon le plus proche d'après ses six réponses Sphères d'Usages (affecté, avec la distance).

Rien n'est deviné et rien de valide n'est écarté : chaque ligne inutilisable est dans la table Lignes rejetées avec ses raisons, et le journal nomme la ligne, la colonne et la valeur de chaque problème.</translation>
    </message>
    <message>
        <location filename="../algorithms/importngc.py" line="18"/>
        <source>Import the Nos Gestes Climat answers</source>
        <translation>Importer les réponses Nos Gestes Climat</translation>
    </message>
    <message>
        <location filename="../algorithms/importngc.py" line="21"/>
        <source>NGC,Nos Gestes Climat,carbon footprint,diagnostic,NEAR,Metabase,import</source>
        <translation>NGC,Nos Gestes Climat,empreinte carbone,diagnostic,NEAR,Metabase,import</translation>
    </message>
    <message>
        <location filename="../algorithms/importngc.py" line="25"/>
        <source>NGC export (Metabase JSON or CSV, database dump, NEAR's payloads)</source>
        <translation>Export NGC (JSON ou CSV Metabase, extraction de la base, envois de NEAR)</translation>
    </message>
    <message>
        <location filename="../algorithms/importngc.py" line="28"/>
        <source>NGC results</source>
        <translation>Résultats NGC</translation>
    </message>
    <message>
        <location filename="../algorithms/importngc.py" line="31"/>
        <source>Reads the Nos Gestes Climat (NGC) answers of the Quartiers en Transitions diagnostic, as they come out of NEAR: a Metabase export (JSON or CSV), a database dump or NEAR's NGC payloads, and checks every result.

Each accepted respondent becomes one row of the results table: the footprint of each category in kgCO2e per year. With the profiles (NEAR's Su Data.json or a saved profile model), each respondent gets its profile: the one whose code it gave (declared), else the nearest by its six Sphères d'Usages answers (assigned, with the distance).

Nothing is guessed and nothing valid is dropped: each row that cannot be used is in the Rejected rows table with its reasons, and the log names the row, the column and the value of every problem.</source>
        <translation>Lit les réponses Nos Gestes Climat (NGC) du diagnostic Quartiers en Transitions, telles qu'elles sortent de NEAR : un export Metabase (JSON ou CSV), une extraction de la base ou les envois NGC de NEAR, et vérifie chaque résultat.

Chaque répondant accepté devient une ligne de la table des résultats : l'empreinte de chaque catégorie en kgCO2e par an. Avec les profils (le Su Data.json de NEAR ou un modèle de profils enregistré), chaque répondant reçoit son profil : celui dont il a donné le code (déclaré), sinon le plus proche d'après ses six réponses Sphères d'Usages (affecté, avec la distance).

Rien n'est deviné et rien de valide n'est écarté : chaque ligne inutilisable est dans la table Lignes rejetées avec ses raisons, et le journal nomme la ligne, la colonne et la valeur de chaque problème.</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="68"/>
        <source>Sphères d'Usages survey (NEAR, Quartiers en Transitions)</source>
        <translation>enquête Sphères d'Usages (NEAR, Quartiers en Transitions)</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="73"/>
        <source>Automatic (point geometry, longitude/latitude, X/Y or area code columns)</source>
        <translation>Automatique (géométrie ponctuelle, colonnes longitude/latitude, X/Y ou code de secteur)</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="74"/>
        <source>Longitude/latitude columns (WGS 84)</source>
        <translation>Colonnes longitude/latitude (WGS 84)</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="75"/>
        <source>X/Y columns in the CRS given below</source>
        <translation>Colonnes X/Y dans le SCR indiqué ci-dessous</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="76"/>
        <source>Area code column (e.g. IRIS code)</source>
        <translation>Colonne de code de secteur (p. ex. code IRIS)</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="77"/>
        <source>Point geometry of the layer</source>
        <translation>Géométrie ponctuelle de la couche</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="78"/>
        <source>None (a table without location)</source>
        <translation>Aucune (une table sans localisation)</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="105"/>
        <source>Import survey answers</source>
        <translation>Importer les réponses d'une enquête</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="108"/>
        <source>survey,questionnaire,answers,respondents,import,CSV,spreadsheet,NEAR</source>
        <translation>enquête,questionnaire,réponses,répondants,import,CSV,tableur,NEAR</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="111"/>
        <source>Reads a survey export (CSV or TSV, XLSX, ODS, or a point layer such as a GeoPackage) and checks every answer against the survey schema (by default the Sphères d'Usages survey of the Quartiers en Transitions method, as exported by NEAR).

Each accepted respondent becomes one feature of the Respondents layer, with the six usage answers as ordered codes 1, 2, 3 and a weight of 1. The layer holds points when the homes are located (point geometry, longitude/latitude or X/Y columns), otherwise it is a table.

Nothing is guessed and nothing valid is dropped: each row that cannot be used is in the Rejected rows table with its reasons, and the log names the row, the column and the value of every problem. Check the “Strict” box to stop at the first problem instead.</source>
        <translation>Lit un export d'enquête (CSV ou TSV, XLSX, ODS, ou une couche de points telle qu'un GeoPackage) et vérifie chaque réponse d'après le schéma de l'enquête (par défaut l'enquête Sphères d'Usages de la méthode Quartiers en Transitions, telle qu'exportée par NEAR).

Chaque répondant accepté devient une entité de la couche Répondants, avec les six réponses d'usages en codes ordonnés 1, 2, 3 et un poids de 1. La couche est faite de points quand les logements sont localisés (géométrie ponctuelle, colonnes longitude/latitude ou X/Y), sinon c'est une table.

Rien n'est deviné et rien de valide n'est écarté : chaque ligne inutilisable est dans la table Lignes rejetées avec ses raisons, et le journal nomme la ligne, la colonne et la valeur de chaque problème. Cochez « Strict » pour vous arrêter plutôt au premier problème.</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="152"/>
        <source>Schema file (YAML or JSON; replaces the survey schema)</source>
        <translation>Fichier de schéma (YAML ou JSON ; remplace le schéma de l'enquête)</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="155"/>
        <source>Survey schemas</source>
        <translation>Schémas d'enquête</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="162"/>
        <source>Location of the homes</source>
        <translation>Localisation des logements</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="172"/>
        <source>Longitude or X column (default: recognised by its name)</source>
        <translation>Colonne longitude ou X (par défaut : reconnue par son nom)</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="181"/>
        <source>Latitude or Y column (default: recognised by its name)</source>
        <translation>Colonne latitude ou Y (par défaut : reconnue par son nom)</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="190"/>
        <source>Area code column (default: recognised by its name)</source>
        <translation>Colonne du code de secteur (par défaut : reconnue par son nom)</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="197"/>
        <source>CRS of the X/Y columns (e.g. EPSG:2154, Lambert-93)</source>
        <translation>SCR des colonnes X/Y (p. ex. EPSG:2154, Lambert-93)</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="203"/>
        <source>Layer (of a file with several layers)</source>
        <translation>Couche (d'un fichier à plusieurs couches)</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="210"/>
        <source>Sheet (of a workbook: name or number from 0)</source>
        <translation>Feuille (d'un classeur : nom ou numéro à partir de 0)</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="217"/>
        <source>Reject homes outside France and swapped longitude/latitude</source>
        <translation>Rejeter les logements hors de France et les longitudes/latitudes inversées</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="224"/>
        <source>Strict: stop at the first problem instead of rejecting rows</source>
        <translation>Strict : s'arrêter au premier problème au lieu de rejeter des lignes</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="329"/>
        <source>Could not write the features: {error}</source>
        <translation>Impossible d'écrire les entités : {error}</translation>
    </message>
    <message>
        <location filename="../algorithms/importsurvey.py" line="433"/>
        <source>A Python package qet-geo needs cannot be imported ({error}). Install the packages listed in the plugin's requirements.txt, for example with the QPIP plugin, or run: python -m pip install {package}</source>
        <translation>Un paquet Python dont qet-geo a besoin ne peut pas être importé ({error}). Installez les paquets listés dans le fichier requirements.txt de l'extension, par exemple avec l'extension QPIP, ou lancez : python -m pip install {package}</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="60"/>
        <source>Map usage profiles by area</source>
        <translation>Cartographier les profils d'usages par zone</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="66"/>
        <source>map,IRIS,quartier,profiles,representativeness,census,raking,disclosure</source>
        <translation>carte,IRIS,quartier,profils,représentativité,recensement,calage,secret statistique</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="71"/>
        <source>For each area (IRIS, quartier or any zone): how many answered (n and effective n), the share of each usage profile with its Wilson interval and Goodman simultaneous interval, the dominant profile (or none clearly dominant), index scores against the whole study, the mean footprint per usage with its interval against the study and the French Nos Gestes Climat average.

With the INSEE census file (base-ic-evol-struct-pop): representativeness by age, sex and PCS, target sample sizes at 3/4/5 %, the achieved margin of error, and optional raking weights.

Respondents join by point (a point on a shared boundary goes to the area whose id sorts first) or by an area code field; those outside every area or with an unknown code are counted in the log. Areas and area × profile cells under the threshold (11 by default) are suppressed, with complementary suppression. The GeoPackage holds aggregates only and opens styled: dominant profile in the profiles' colours, suppressed areas grey and hatched.</source>
        <translation>Pour chaque zone (IRIS, quartier ou toute zone) : combien ont répondu (n et n effectif), la part de chaque profil d'usages avec son intervalle de Wilson et son intervalle simultané de Goodman, le profil dominant (ou aucun nettement dominant), les indices par rapport à l'ensemble de l'étude, l'empreinte moyenne par usage avec son intervalle, comparée à l'étude et à la moyenne française de Nos Gestes Climat.

Avec le fichier du recensement de l'INSEE (base-ic-evol-struct-pop) : représentativité par âge, sexe et PCS, tailles d'échantillon visées à 3/4/5 %, marge d'erreur atteinte, et poids de calage en option.

Les répondants sont rattachés par leur point (un point sur une limite commune va à la zone dont l'identifiant vient en premier) ou par un champ de code de zone ; ceux hors de toute zone ou au code inconnu sont comptés dans le journal. Les zones et les cases zone × profil sous le seuil (11 par défaut) sont masquées, avec masquage complémentaire. Le GeoPackage ne contient que des agrégats et s'ouvre mis en forme : profil dominant aux couleurs des profils, zones masquées en gris hachuré.</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="97"/>
        <source>Join by this area code field of the respondents (instead of points)</source>
        <translation>Rattacher par ce champ de code de zone des répondants (au lieu des points)</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="107"/>
        <source>Neighbourhoods as sets of area ids, dissolved (Centre=id1,id2;North=id3)</source>
        <translation>Quartiers comme ensembles d'identifiants de zones, fusionnés (Centre=id1,id2;Nord=id3)</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="115"/>
        <location filename="../algorithms/profilesvsconstraints.py" line="101"/>
        <source>Profile model (default: the respondents' profile field)</source>
        <translation>Modèle de profils (par défaut : le champ profile des répondants)</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="124"/>
        <source>INSEE census file (base-ic-evol-struct-pop, CSV)</source>
        <translation>Fichier du recensement INSEE (base-ic-evol-struct-pop, CSV)</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="133"/>
        <source>Weights</source>
        <translation>Poids</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="135"/>
        <source>survey weights</source>
        <translation>poids de l'enquête</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="135"/>
        <source>raking to the census</source>
        <translation>calage sur le recensement</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="135"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="142"/>
        <source>Area map (GeoPackage)</source>
        <translation>Carte par zone (GeoPackage)</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="145"/>
        <source>Respondents mapped</source>
        <translation>Répondants cartographiés</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="146"/>
        <source>Areas suppressed</source>
        <translation>Zones masquées</translation>
    </message>
    <message>
        <location filename="../algorithms/mapprofiles.py" line="170"/>
        <source>Usage profiles by area</source>
        <translation>Profils d'usages par zone</translation>
    </message>
    <message>
        <location filename="../algorithms/profilesvsconstraints.py" line="65"/>
        <source>Profiles against the constraints of the place</source>
        <translation>Profils face aux contraintes du lieu</translation>
    </message>
    <message>
        <location filename="../algorithms/profilesvsconstraints.py" line="71"/>
        <source>profiles,PTAL,transit,proximity,bivariate,Cramér,Spearman</source>
        <translation>profils,PTAL,transports,proximité,bivarié,Cramér,Spearman</translation>
    </message>
    <message>
        <location filename="../algorithms/profilesvsconstraints.py" line="74"/>
        <source>Sets the usage profiles against the constraints of the place. Each respondent gets the transit access (PTAL) of their home and, for each service layer, the distance to the nearest service. Outputs, aggregates only with small cells suppressed: per PTAL band and distance class the profile mix and the mean mobility footprint with intervals; per area a 3 × 3 bivariate class (share of the profile most turned to the car × transit access) for a bivariate map; with a satisfaction field (NO / DONT_KNOW / YES), the answers per PTAL band. The log gives Cramér's V (profiles × PTAL band) and Spearman's ρ (mobility footprint × access) with bootstrap intervals.</source>
        <translation>Met les profils d'usages face aux contraintes du lieu. Chaque répondant reçoit l'accessibilité en transports (PTAL) de son domicile et, pour chaque couche de services, la distance au service le plus proche. Sorties, agrégats seulement avec les petites cases masquées : par classe PTAL et classe de distance, la répartition des profils et l'empreinte mobilité moyenne avec leurs intervalles ; par zone une classe bivariée 3 × 3 (part du profil le plus tourné vers la voiture × accessibilité) pour une carte bivariée ; avec un champ de satisfaction (NO / DONT_KNOW / YES), les réponses par classe PTAL. Le journal donne le V de Cramér (profils × classe PTAL) et le ρ de Spearman (empreinte mobilité × accès) avec leurs intervalles bootstrap.</translation>
    </message>
    <message>
        <location filename="../algorithms/profilesvsconstraints.py" line="93"/>
        <location filename="../algorithms/transitaccess.py" line="180"/>
        <source>GTFS feed (zip)</source>
        <translation>Flux GTFS (zip)</translation>
    </message>
    <message>
        <location filename="../algorithms/profilesvsconstraints.py" line="110"/>
        <source>Service layers (distance classes)</source>
        <translation>Couches de services (classes de distance)</translation>
    </message>
    <message>
        <location filename="../algorithms/profilesvsconstraints.py" line="118"/>
        <source>Satisfaction with transit access (NO / DONT_KNOW / YES)</source>
        <translation>Satisfaction sur l'accès aux transports (NO / DONT_KNOW / YES)</translation>
    </message>
    <message>
        <location filename="../algorithms/profilesvsconstraints.py" line="127"/>
        <source>Profile of the bivariate map (0: the most car-turned)</source>
        <translation>Profil de la carte bivariée (0 : le plus tourné vers la voiture)</translation>
    </message>
    <message>
        <location filename="../algorithms/profilesvsconstraints.py" line="140"/>
        <source>Bootstrap resamples</source>
        <translation>Rééchantillonnages bootstrap</translation>
    </message>
    <message>
        <location filename="../algorithms/profilesvsconstraints.py" line="149"/>
        <source>Bivariate classes by area</source>
        <translation>Classes bivariées par zone</translation>
    </message>
    <message>
        <location filename="../algorithms/profilesvsconstraints.py" line="153"/>
        <source>Profiles by constraint class</source>
        <translation>Profils par classe de contrainte</translation>
    </message>
    <message>
        <location filename="../algorithms/profilesvsconstraints.py" line="158"/>
        <source>Satisfaction by PTAL band</source>
        <translation>Satisfaction par classe PTAL</translation>
    </message>
    <message>
        <location filename="../algorithms/profilesvsconstraints.py" line="162"/>
        <source>Cramér's V (profiles × PTAL band)</source>
        <translation>V de Cramér (profils × classe PTAL)</translation>
    </message>
    <message>
        <location filename="../algorithms/profilesvsconstraints.py" line="166"/>
        <source>Spearman's ρ (mobility footprint × access)</source>
        <translation>ρ de Spearman (empreinte mobilité × accès)</translation>
    </message>
    <message>
        <location filename="../algorithms/provider.py" line="62"/>
        <source>qet-geo — neighbourhood usage profiles (Sphères d'Usages)</source>
        <translation>qet-geo — profils d'usages des quartiers (Sphères d'Usages)</translation>
    </message>
    <message>
        <location filename="../algorithms/proximity.py" line="74"/>
        <source>Respondents (to refuse layers made from their homes)</source>
        <translation>Répondants (pour refuser les couches faites de leurs domiciles)</translation>
    </message>
    <message>
        <location filename="../algorithms/proximity.py" line="107"/>
        <source>Proximity to services</source>
        <translation>Proximité des services</translation>
    </message>
    <message>
        <location filename="../algorithms/proximity.py" line="113"/>
        <source>proximity,distance,shops,market,repair,services,accessibility</source>
        <translation>proximité,distance,commerces,marché,réparation,services,accessibilité</translation>
    </message>
    <message>
        <location filename="../algorithms/proximity.py" line="116"/>
        <source>For each area and each service layer (food shops, markets, repair and second-hand shops, schools, parks…): the mean distance from the area's grid points to the nearest service, the distance from the area's centroid, the number of services within the radius of the centroid, and the share of the area within each distance. Fields are named after the layers. Distances are in metres whatever the areas' CRS (measured in a local metric CRS when needed).</source>
        <translation>Pour chaque zone et chaque couche de services (commerces alimentaires, marchés, réparation et seconde main, écoles, parcs…) : la distance moyenne des points de grille de la zone au service le plus proche, la distance depuis le centroïde de la zone, le nombre de services dans le rayon autour du centroïde, et la part de la zone à moins de chaque distance. Les champs portent le nom des couches. Les distances sont en mètres quel que soit le SCR des zones (mesurées dans un SCR métrique local au besoin).</translation>
    </message>
    <message>
        <location filename="../algorithms/proximity.py" line="129"/>
        <source>Service layers</source>
        <translation>Couches de services</translation>
    </message>
    <message>
        <location filename="../algorithms/proximity.py" line="149"/>
        <source>Count services within (m)</source>
        <translation>Compter les services à moins de (m)</translation>
    </message>
    <message>
        <location filename="../algorithms/proximity.py" line="161"/>
        <source>Shares of the area within (m, comma-separated)</source>
        <translation>Parts de la zone à moins de (m, séparées par des virgules)</translation>
    </message>
    <message>
        <location filename="../algorithms/proximity.py" line="170"/>
        <location filename="../algorithms/transitaccess.py" line="193"/>
        <source>Detour factor (walk / straight line)</source>
        <translation>Facteur de détour (marche / ligne droite)</translation>
    </message>
    <message>
        <location filename="../algorithms/proximity.py" line="181"/>
        <source>Population points or squares (population-weighted centroids)</source>
        <translation>Points ou carreaux de population (centroïdes pondérés par la population)</translation>
    </message>
    <message>
        <location filename="../algorithms/proximity.py" line="188"/>
        <source>Service layers whose points are people (names, comma-separated)</source>
        <translation>Couches de services dont les points sont des personnes (noms, séparés par des virgules)</translation>
    </message>
    <message>
        <location filename="../algorithms/proximity.py" line="194"/>
        <source>Proximity by area</source>
        <translation>Proximité par zone</translation>
    </message>
    <message>
        <location filename="../algorithms/runpipeline.py" line="68"/>
        <source>Run the whole diagnostic (configuration file)</source>
        <translation>Exécuter tout le diagnostic (fichier de configuration)</translation>
    </message>
    <message>
        <location filename="../algorithms/runpipeline.py" line="74"/>
        <source>pipeline,configuration,toml,whole job,forum,diagnostic</source>
        <translation>chaîne,configuration,toml,tout le diagnostic,forum,diagnostic</translation>
    </message>
    <message>
        <location filename="../algorithms/runpipeline.py" line="77"/>
        <source>Runs every step from one configuration file, as the command qet-geo run does: survey import, footprints, usage profiles, indicators by area, transit access (PTAL), proximity to services, profiles against constraints, then the web map, the posters and a QGIS project that opens every output styled.

The configuration is a TOML file (sample_data/qet-geo.toml is a documented example); every key is checked before anything runs. The outputs go to the folder chosen here (by default qet-geo in your documents folder). Scripts (processing.run) that leave OUTPUT_FOLDER out get the configuration's output folder, as before; qgis_process needs it given.</source>
        <translation>Exécute toutes les étapes à partir d'un seul fichier de configuration, comme la commande qet-geo run : import de l'enquête, empreintes, profils d'usages, indicateurs par zone, accès aux transports (PTAL), proximité des services, profils et contraintes du lieu, puis la carte web, les affiches et un projet QGIS qui ouvre toutes les sorties stylées.

La configuration est un fichier TOML (sample_data/qet-geo.toml en est un exemple commenté) ; chaque clé est vérifiée avant que rien ne s'exécute. Les sorties vont dans le dossier choisi ici (par défaut qet-geo dans votre dossier Documents). Les scripts (processing.run) qui omettent OUTPUT_FOLDER obtiennent le dossier de sortie de la configuration, comme avant ; qgis_process demande qu'il soit donné.</translation>
    </message>
    <message>
        <location filename="../algorithms/runpipeline.py" line="93"/>
        <source>Configuration (TOML)</source>
        <translation>Configuration (TOML)</translation>
    </message>
    <message>
        <location filename="../algorithms/runpipeline.py" line="102"/>
        <source>Left out by a script (processing.run): the configuration's output folder; qgis_process needs it given (--OUTPUT_FOLDER=…).</source>
        <translation>Omis par un script (processing.run) : le dossier de sortie de la configuration ; qgis_process demande qu'il soit donné (--OUTPUT_FOLDER=…).</translation>
    </message>
    <message>
        <location filename="../algorithms/runpipeline.py" line="173"/>
        <source>Outputs in {folder}:</source>
        <translation>Sorties dans {folder} :</translation>
    </message>
    <message>
        <location filename="../algorithms/runpipeline.py" line="177"/>
        <source>  {name}  ({size} kB)</source>
        <translation>  {name}  ({size} Ko)</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="57"/>
        <source>Modes of route types (CODE=MODE, comma-separated, e.g. 99=bus, 4=none)</source>
        <translation>Modes des types de lignes (CODE=MODE, séparés par des virgules, ex. 99=bus, 4=none)</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="75"/>
        <source>Choose the population field of the population layer</source>
        <translation>Choisir le champ de population de la couche de population</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="153"/>
        <source>Transit access (PTAL) from GTFS</source>
        <translation>Accessibilité en transports (PTAL) depuis un GTFS</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="159"/>
        <source>PTAL,GTFS,transit,bus,tram,access,accessibility</source>
        <translation>PTAL,GTFS,transports collectifs,bus,tram,accès,accessibilité</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="162"/>
        <source>Public Transport Accessibility Level (Transport for London) from a GTFS feed, on a regular grid over the areas, and per area: mean access index, its band, the share of the area in each band, distance to the nearest stop and departures per hour within 400 m and 800 m.

Bus stops count within 640 m and stations within 960 m, walked at 80 m/min; for each route, its nearest stop and busiest direction in the time window (08:15–09:15 by default) give its frequency. The service day is the date given, or the busiest weekday of the feed. Every constant can be changed (advanced parameters). Modes are kept apart as TfL does (bus, tram, metro, rail, ferry, cable, funicular), each route by its GTFS route type; an unknown route type is reported and can be given a mode (e.g. 99=bus). Distances are metres: areas in degrees or feet are measured in their UTM zone (the log says which).</source>
        <translation>Niveau d'accessibilité en transports collectifs (PTAL, Transport for London) depuis un flux GTFS, sur une grille régulière couvrant les zones, et par zone : indice d'accès moyen, sa classe, la part de la zone dans chaque classe, la distance à l'arrêt le plus proche et les départs par heure à moins de 400 m et 800 m.

Les arrêts de bus comptent à moins de 640 m et les stations à moins de 960 m, parcourus à 80 m/min ; pour chaque ligne, son arrêt le plus proche et son sens le plus fréquent dans le créneau (08:15–09:15 par défaut) donnent sa fréquence. Le jour de service est la date donnée, ou le jour de semaine le plus chargé du flux. Chaque constante peut être changée (paramètres avancés). Les modes restent séparés comme chez TfL (bus, tram, métro, train, bateau, câble, funiculaire), chaque ligne selon son type GTFS ; un type inconnu est signalé et peut recevoir un mode (ex. 99=bus). Les distances sont en mètres : des zones en degrés ou en pieds sont mesurées dans leur fuseau UTM (le journal dit lequel).</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="187"/>
        <source>Walking speed (m/min)</source>
        <translation>Vitesse de marche (m/min)</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="188"/>
        <source>Bus stop catchment (m)</source>
        <translation>Rayon d'accès aux arrêts de bus (m)</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="189"/>
        <source>Station catchment (m)</source>
        <translation>Rayon d'accès aux stations (m)</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="190"/>
        <source>Bus reliability (min)</source>
        <translation>Fiabilité du bus (min)</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="191"/>
        <source>Rail reliability (min)</source>
        <translation>Fiabilité du rail (min)</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="192"/>
        <source>Weight of the other routes</source>
        <translation>Poids des autres lignes</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="201"/>
        <source>Street lines (walk along them; default: straight lines × detour)</source>
        <translation>Lignes de rues (marcher le long ; par défaut : lignes droites × détour)</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="207"/>
        <source>Population points or squares (population-weighted mean per area)</source>
        <translation>Points ou carreaux de population (moyenne pondérée par la population par zone)</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="209"/>
        <source>PTAL grid</source>
        <translation>Grille PTAL</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="211"/>
        <source>Transit access by area</source>
        <translation>Accessibilité en transports par zone</translation>
    </message>
    <message>
        <location filename="../algorithms/transitaccess.py" line="213"/>
        <source>Grid points</source>
        <translation>Points de grille</translation>
    </message>
    <message>
        <location filename="../plugin/dependencies.py" line="111"/>
        <source>in the OSGeo4W Shell (Start menu ▸ OSGeo4W ▸ OSGeo4W Shell)</source>
        <translation>dans l'OSGeo4W Shell (menu Démarrer ▸ OSGeo4W ▸ OSGeo4W Shell)</translation>
    </message>
    <message>
        <location filename="../plugin/dependencies.py" line="113"/>
        <source>in a terminal (this Python is managed by the system: the packages go into your home folder only; the distribution's own python3-… packages are older than qet-geo needs)</source>
        <translation>dans un terminal (ce Python est géré par le système : les paquets vont dans votre dossier personnel seulement ; les paquets python3-… de la distribution sont plus anciens que ce dont qet-geo a besoin)</translation>
    </message>
    <message>
        <location filename="../plugin/dependencies.py" line="118"/>
        <source>in a terminal</source>
        <translation>dans un terminal</translation>
    </message>
    <message>
        <location filename="../plugin/dependencies.py" line="125"/>
        <source>Some algorithms could not be loaded; see the qet-geo tab of the log.</source>
        <translation>Certains algorithmes n'ont pas pu être chargés ; voir l'onglet qet-geo du journal.</translation>
    </message>
    <message>
        <location filename="../plugin/dependencies.py" line="127"/>
        <source>Some algorithms are disabled because Python packages are missing or broken: {packages}. Install them {where}: {command} — then restart QGIS or choose Check again.</source>
        <translation>Des algorithmes sont désactivés car des paquets Python manquent ou sont défectueux : {packages}. Installez-les {where} : {command} — puis redémarrez QGIS ou choisissez Vérifier à nouveau.</translation>
    </message>
    <message>
        <location filename="../plugin/dependencies.py" line="136"/>
        <source>qet-geo: these algorithms are disabled:</source>
        <translation>qet-geo : ces algorithmes sont désactivés :</translation>
    </message>
    <message>
        <location filename="../plugin/dependencies.py" line="140"/>
        <source>{package} is not installed</source>
        <translation>{package} n'est pas installé</translation>
    </message>
    <message>
        <location filename="../plugin/dependencies.py" line="142"/>
        <source>{package} is installed but cannot be imported: {error}</source>
        <translation>{package} est installé mais ne peut pas être importé : {error}</translation>
    </message>
    <message>
        <location filename="../plugin/dependencies.py" line="148"/>
        <source>error while loading it: {error}</source>
        <translation>erreur à son chargement : {error}</translation>
    </message>
    <message>
        <location filename="../plugin/dependencies.py" line="153"/>
        <source>Missing or broken Python packages: {packages}</source>
        <translation>Paquets Python manquants ou défectueux : {packages}</translation>
    </message>
    <message>
        <location filename="../plugin/dependencies.py" line="158"/>
        <source>Install them {where}: {command}</source>
        <translation>Installez-les {where} : {command}</translation>
    </message>
    <message>
        <location filename="../plugin/dependencies.py" line="163"/>
        <source>Or with the QPIP plugin, which installs the packages listed in {requirements} into your QGIS profile.</source>
        <translation>Ou avec l'extension QPIP, qui installe les paquets listés dans {requirements} dans votre profil QGIS.</translation>
    </message>
    <message>
        <location filename="../plugin/dependencies.py" line="168"/>
        <source>Then restart QGIS, or choose qet-geo ▸ Check Python dependencies.</source>
        <translation>Puis redémarrez QGIS, ou choisissez qet-geo ▸ Vérifier les dépendances Python.</translation>
    </message>
    <message>
        <location filename="../plugin/dependencies.py" line="171"/>
        <source>An error that is not a missing package is a bug: please report it with this message.</source>
        <translation>Une erreur qui n'est pas un paquet manquant est un bogue : merci de la signaler avec ce message.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="212"/>
        <source>qet-geo — Diagnostic</source>
        <translation>qet-geo — Diagnostic</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="239"/>
        <source>From the survey to the forum map, step by step. Every setting is saved as the configuration file that the command qet-geo run reads.</source>
        <translation>De l'enquête à la carte du forum, étape par étape. Chaque réglage est enregistré dans le fichier de configuration que lit la commande qet-geo run.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="245"/>
        <source>Load the example</source>
        <translation>Charger l'exemple</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="247"/>
        <source>The fictional neighbourhood shipped with the plugin: its layers in the project, every step filled in</source>
        <translation>Le quartier fictif livré avec l'extension : ses couches dans le projet, chaque étape remplie</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="248"/>
        <source>Open…</source>
        <translation>Ouvrir…</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="249"/>
        <source>Open a configuration…</source>
        <translation>Ouvrir une configuration…</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="250"/>
        <source>Save…</source>
        <translation>Enregistrer…</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="251"/>
        <source>Save the configuration…</source>
        <translation>Enregistrer la configuration…</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="253"/>
        <source>Configuration:</source>
        <translation>Configuration :</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="260"/>
        <location filename="../plugin/diagnostic.py" line="371"/>
        <location filename="../algorithms/importsurvey.py" line="133"/>
        <source>Survey exports</source>
        <translation>Exports d'enquête</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="262"/>
        <location filename="../algorithms/importsurvey.py" line="131"/>
        <source>Survey export</source>
        <translation>Export de l'enquête</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="269"/>
        <location filename="../algorithms/importsurvey.py" line="142"/>
        <source>Survey schema</source>
        <translation>Schéma de l'enquête</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="271"/>
        <source>Check</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="272"/>
        <source>Check the survey</source>
        <translation>Vérifier l'enquête</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="274"/>
        <location filename="../algorithms/importemdv.py" line="113"/>
        <location filename="../algorithms/importsurvey.py" line="239"/>
        <source>Rejected rows</source>
        <translation>Lignes rejetées</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="276"/>
        <source>Open the rejected rows</source>
        <translation>Ouvrir les lignes rejetées</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="280"/>
        <location filename="../plugin/diagnostic.py" line="457"/>
        <source>Not checked yet.</source>
        <translation>Pas encore vérifiée.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="287"/>
        <source>1 · Survey</source>
        <translation>1 · Enquête</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="296"/>
        <source>Areas layer (IRIS, neighbourhoods…)</source>
        <translation>Couche des zones (IRIS, quartiers…)</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="308"/>
        <location filename="../algorithms/base.py" line="112"/>
        <source>Area id field</source>
        <translation>Champ identifiant de zone</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="309"/>
        <location filename="../algorithms/base.py" line="112"/>
        <source>Area name field</source>
        <translation>Champ nom de zone</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="311"/>
        <source>Census files</source>
        <translation>Fichiers du recensement</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="313"/>
        <source>Census file (optional: representativeness)</source>
        <translation>Fichier du recensement (facultatif : représentativité)</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="314"/>
        <source>2 · Areas and census</source>
        <translation>2 · Zones et recensement</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="318"/>
        <source>GTFS feed (zip, or any .txt of an unzipped feed)</source>
        <translation>Flux GTFS (zip, ou un .txt d'un flux décompressé)</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="320"/>
        <source>A GTFS zip file, or any file of an unzipped GTFS folder (its folder is used)</source>
        <translation>Un fichier GTFS zip, ou un fichier d'un dossier GTFS décompressé (son dossier est pris)</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="322"/>
        <source>GTFS feed (optional)</source>
        <translation>Flux GTFS (facultatif)</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="323"/>
        <source>the busiest weekday of the feed</source>
        <translation>le jour de semaine le plus chargé du flux</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="335"/>
        <source>Service day</source>
        <translation>Jour de service</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="336"/>
        <source>3 · Public transport</source>
        <translation>3 · Transports en commun</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="343"/>
        <source>Point layers of shops and services (ticked: measured)</source>
        <translation>Couches de points des commerces et services (cochées : mesurées)</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="347"/>
        <source>4 · Shops and services</source>
        <translation>4 · Commerces et services</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="357"/>
        <location filename="../algorithms/detectprofiles.py" line="178"/>
        <source>Method</source>
        <translation>Méthode</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="361"/>
        <source>chosen automatically</source>
        <translation>choisi automatiquement</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="365"/>
        <location filename="../algorithms/detectprofiles.py" line="302"/>
        <source>Number of profiles</source>
        <translation>Nombre de profils</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="366"/>
        <source>5 · Usage profiles</source>
        <translation>5 · Profils d'usages</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="373"/>
        <source>The “Espace et Mode de Vie” answers (NEAR's Metabase export, a database dump or Typeform payloads)</source>
        <translation>Les réponses « Espace et Mode de Vie » (export Metabase de NEAR, extraction de la base ou charges utiles Typeform)</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="375"/>
        <source>Espace et Mode de Vie answers (optional)</source>
        <translation>Réponses Espace et Mode de Vie (facultatif)</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="377"/>
        <source>The Nos Gestes Climat results (NEAR's Metabase export, a database dump or webhook payloads)</source>
        <translation>Les résultats Nos Gestes Climat (export Metabase de NEAR, extraction de la base ou charges utiles des webhooks)</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="379"/>
        <source>Nos Gestes Climat answers (optional)</source>
        <translation>Réponses Nos Gestes Climat (facultatif)</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="380"/>
        <source>6 · Satisfaction, wishes, carbon</source>
        <translation>6 · Satisfaction, envies, carbone</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="386"/>
        <source>Usage profiles of the neighbourhood</source>
        <translation>Sphères d'Usages du quartier</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="387"/>
        <source>Title of the maps</source>
        <translation>Titre des cartes</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="391"/>
        <source>Language of the outputs</source>
        <translation>Langue des sorties</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="393"/>
        <location filename="../algorithms/forumpanels.py" line="78"/>
        <location filename="../algorithms/forumvotes.py" line="96"/>
        <location filename="../algorithms/runpipeline.py" line="99"/>
        <source>Output folder</source>
        <translation>Dossier des sorties</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="394"/>
        <source>web map (works offline)</source>
        <translation>carte web (sans Internet)</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="395"/>
        <source>web map for the forum (works offline)</source>
        <translation>carte web pour le forum (fonctionne sans Internet)</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="396"/>
        <source>posters A3 and A0</source>
        <translation>affiches A3 et A0</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="397"/>
        <source>posters A3 and A0 (PDF, PNG) and the QGIS print layout</source>
        <translation>affiches A3 et A0 (PDF, PNG) et la mise en page QGIS</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="398"/>
        <location filename="../algorithms/runpipeline.py" line="106"/>
        <source>QGIS project</source>
        <translation>Projet QGIS</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="399"/>
        <source>QGIS project of the results</source>
        <translation>projet QGIS des résultats</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="402"/>
        <source>7 · Outputs</source>
        <translation>7 · Sorties</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="406"/>
        <source>Run the diagnostic</source>
        <translation>Lancer le diagnostic</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="407"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="476"/>
        <source>The NEAR method finds its own profiles</source>
        <translation>La méthode NEAR trouve elle-même ses profils</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="515"/>
        <source>Warning: </source>
        <translation>Avertissement : </translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="515"/>
        <location filename="../plugin/diagnostic.py" line="903"/>
        <location filename="../plugin/diagnostic.py" line="904"/>
        <source>Error: </source>
        <translation>Erreur : </translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="530"/>
        <source>Step 1: choose the survey export.</source>
        <translation>Étape 1 : choisissez l'export de l'enquête.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="533"/>
        <source>Step 1: the survey export {file} does not exist.</source>
        <translation>Étape 1 : l'export de l'enquête {file} n'existe pas.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="537"/>
        <source>Step 2: choose the areas layer.</source>
        <translation>Étape 2 : choisissez la couche des zones.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="540"/>
        <source>Step 2: the layer “{layer}” is not stored in a file qet-geo can read as it is (a memory, database or filtered layer). Save it first (Export › Save Features As…, GeoPackage), then choose the saved layer.</source>
        <translation>Étape 2 : la couche « {layer} » n'est pas enregistrée telle quelle dans un fichier que qet-geo sait lire (couche en mémoire, de base de données ou filtrée). Enregistrez-la d'abord (Exporter › Sauvegarder les entités sous…, GeoPackage), puis choisissez la couche enregistrée.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="544"/>
        <source>Step 2: choose the field of the area ids.</source>
        <translation>Étape 2 : choisissez le champ des identifiants de zone.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="712"/>
        <source>The example is not in this installation of the plugin ({path}).</source>
        <translation>L'exemple n'est pas dans cette installation de l'extension ({path}).</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="720"/>
        <source>Example loaded: a fictional neighbourhood. Check each step, then run the diagnostic.</source>
        <translation>Exemple chargé : un quartier fictif. Vérifiez chaque étape, puis lancez le diagnostic.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="739"/>
        <source>Open a configuration</source>
        <translation>Ouvrir une configuration</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="749"/>
        <source>Configuration {file} loaded.</source>
        <translation>Configuration {file} chargée.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="754"/>
        <source>Save the configuration</source>
        <translation>Enregistrer la configuration</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="770"/>
        <source>Configuration saved: {file}. Replay it with: qet-geo run {file}</source>
        <translation>Configuration enregistrée : {file}. Pour la rejouer : qet-geo run {file}</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="785"/>
        <source>Choose an existing survey export first.</source>
        <translation>Choisissez d'abord un export d'enquête existant.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="791"/>
        <source>The survey check is not available: see “qet-geo › Check Python dependencies”.</source>
        <translation>La vérification de l'enquête n'est pas disponible : voir « qet-geo › Vérifier les dépendances Python ».</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="806"/>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="814"/>
        <source>The survey could not be read.</source>
        <translation>L'enquête n'a pas pu être lue.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="819"/>
        <source>{read} rows read, {accepted} accepted, {rejected} rejected.</source>
        <translation>{read} lignes lues, {accepted} acceptées, {rejected} rejetées.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="824"/>
        <source>row {row}: {reason}</source>
        <translation>ligne {row} : {reason}</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="826"/>
        <source>… all of them in the rejected rows file.</source>
        <translation>… toutes dans le fichier des lignes rejetées.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="843"/>
        <source>Step 6: choose the output folder.</source>
        <translation>Étape 6 : choisissez le dossier des sorties.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="848"/>
        <source>Step 6: the output folder already holds {file}, not written by this dock: choose another output folder (it is never overwritten).</source>
        <translation>Étape 6 : le dossier des sorties contient déjà {file}, qui n'a pas été écrit par ce panneau : choisissez un autre dossier des sorties (ce fichier n'est jamais écrasé).</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="863"/>
        <source>The whole diagnostic is not available: see “qet-geo › Check Python dependencies”.</source>
        <translation>Le diagnostic complet n'est pas disponible : voir « qet-geo › Vérifier les dépendances Python ».</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="880"/>
        <source>Running… the configuration of this run is {file}</source>
        <translation>En cours… la configuration de ce traitement est {file}</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="887"/>
        <source>Canceling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="896"/>
        <source>Finished in {seconds:.0f} s: the results are in the project, in the group of this run. Replay from the command line: qet-geo run {file}</source>
        <translation>Terminé en {seconds:.0f} s : les résultats sont dans le projet, dans le groupe de ce traitement. Pour le rejouer en ligne de commande : qet-geo run {file}</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="901"/>
        <location filename="../algorithms/detectprofiles.py" line="321"/>
        <location filename="../algorithms/exportposter.py" line="173"/>
        <location filename="../algorithms/importsurvey.py" line="317"/>
        <location filename="../algorithms/isolation.py" line="535"/>
        <location filename="../algorithms/isolation.py" line="543"/>
        <location filename="../algorithms/isolation.py" line="553"/>
        <location filename="../algorithms/layers.py" line="40"/>
        <location filename="../algorithms/layers.py" line="108"/>
        <location filename="../algorithms/layers.py" line="154"/>
        <location filename="../algorithms/layers.py" line="196"/>
        <location filename="../algorithms/runpipeline.py" line="131"/>
        <location filename="../algorithms/runpipeline.py" line="162"/>
        <source>Canceled: the outputs are incomplete.</source>
        <translation>Annulé : les sorties sont incomplètes.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="905"/>
        <source>The run failed: see the log below.</source>
        <translation>Le traitement a échoué : voir le journal ci-dessous.</translation>
    </message>
    <message>
        <location filename="../plugin/diagnostic.py" line="995"/>
        <source>qet-geo configuration written by the QGIS Diagnostic dock.
Replay the run from a terminal: qet-geo run THIS_FILE
Paths are relative to this file.</source>
        <translation>Configuration qet-geo écrite par le panneau Diagnostic de QGIS.
Pour rejouer le traitement dans un terminal : qet-geo run CE_FICHIER
Les chemins sont relatifs à ce fichier.</translation>
    </message>
    <message>
        <location filename="../plugin/plugin.py" line="69"/>
        <source>Diagnostic…</source>
        <translation>Diagnostic…</translation>
    </message>
    <message>
        <location filename="../plugin/plugin.py" line="72"/>
        <source>The whole diagnostic step by step, from the survey to the forum map</source>
        <translation>Tout le diagnostic étape par étape, de l'enquête à la carte du forum</translation>
    </message>
    <message>
        <location filename="../plugin/plugin.py" line="76"/>
        <source>Import survey answers…</source>
        <translation>Importer les réponses d'une enquête…</translation>
    </message>
    <message>
        <location filename="../plugin/plugin.py" line="80"/>
        <source>Run the whole diagnostic from a configuration file…</source>
        <translation>Exécuter tout le diagnostic depuis un fichier de configuration…</translation>
    </message>
    <message>
        <location filename="../plugin/plugin.py" line="87"/>
        <source>Check Python dependencies</source>
        <translation>Vérifier les dépendances Python</translation>
    </message>
    <message>
        <location filename="../plugin/plugin.py" line="91"/>
        <source>Help</source>
        <translation>Aide</translation>
    </message>
    <message>
        <location filename="../plugin/plugin.py" line="186"/>
        <source>All the Python packages qet-geo needs are installed.</source>
        <translation>Tous les paquets Python dont qet-geo a besoin sont installés.</translation>
    </message>
    <message>
        <location filename="../plugin/plugin.py" line="220"/>
        <source>Check again</source>
        <translation>Vérifier à nouveau</translation>
    </message>
    <message>
        <location filename="../plugin/report.py" line="38"/>
        <source>qet-geo — Profiles report</source>
        <translation>qet-geo — Rapport des profils</translation>
    </message>
    <message>
        <location filename="../plugin/report.py" line="48"/>
        <source>This QGIS has no web view: open the report in the browser.</source>
        <translation>Ce QGIS n'a pas de vue web : ouvrez le rapport dans le navigateur.</translation>
    </message>
    <message>
        <location filename="../plugin/report.py" line="51"/>
        <source>Open in the browser</source>
        <translation>Ouvrir dans le navigateur</translation>
    </message>
    <message>
        <location filename="../plugin/results.py" line="46"/>
        <source>{folder}: no finished qet-geo run here (manifest.json missing or incomplete).</source>
        <translation>{folder} : aucune exécution qet-geo terminée ici (manifest.json absent ou incomplet).</translation>
    </message>
    <message>
        <location filename="../plugin/results.py" line="70"/>
        <source>Poster {size} — {title}</source>
        <translation>Affiche {size} — {title}</translation>
    </message>
    <message>
        <location filename="../plugin/results.py" line="99"/>
        <location filename="../plugin/results.py" line="103"/>
        <source>Results of {title} added to the project.</source>
        <translation>Résultats de {title} ajoutés au projet.</translation>
    </message>
    <message>
        <location filename="../plugin/results.py" line="105"/>
        <source>Open the web map</source>
        <translation>Ouvrir la carte web</translation>
    </message>
    <message>
        <location filename="../plugin/results.py" line="106"/>
        <source>Open the poster</source>
        <translation>Ouvrir l'affiche</translation>
    </message>
</context>
</TS>
