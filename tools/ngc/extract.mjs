// Extraction of the Nos Gestes Climat rules that qet-geo's footprints need.
//
// Writes qet_geo/footprint/data/ngc-model.json: the rules of the five SU usages
// (docs/footprints.md), the action rules of the levers (levers.mjs) and every rule they depend on (the engine's own reference map), as the
// pinned model states them, stamped with the model and publicodes versions. qet-geo's
// Python evaluator reads this file; re-run this script after changing the pinned version:
//
//   make ngc && node tools/ngc/extract.mjs [--out FILE]
import fs from 'node:fs'
import Engine from 'publicodes'
import { ACTIONS } from './levers.mjs'

const MODEL_PACKAGE = '@incubateur-ademe/nosgestesclimat'
const here = new URL('.', import.meta.url).pathname
const packageVersion = (name) =>
  JSON.parse(fs.readFileSync(`${here}node_modules/${name}/package.json`, 'utf8')).version
const rules = JSON.parse(
  fs.readFileSync(`${here}node_modules/${MODEL_PACKAGE}/public/co2-model.FR-lang.fr.json`, 'utf8'),
)
const ROOTS = [
  'alimentation',
  'transport . avion',
  'transport . voiture',
  'transport . deux roues',
  'transport . mobilité douce',
  'transport . transports commun',
  'transport . train',
  'divers . textile',
  'divers . électroménager',
  'divers . ameublement',
  'divers . numérique',
]
// Keys that only serve the NGC web interface or its documentation.
const DROP = new Set(['description', 'note', 'icônes', 'mosaique', 'références', 'aide', 'DLUO',
  'avertissement', 'action', 'dépasse', 'abréviation'])

const engine = new Engine(rules, { logger: { log() {}, warn() {}, error() {} } })
const referencesIn = engine.baseContext.referencesMaps.referencesIn
// A rule is kept, whole, when a root depends on it, and so are its ancestors: a
// non-applicable parent disables its children, and the engine's reference map lists them.
const keep = new Set()
const stack = [...ROOTS, ...ACTIONS]
while (stack.length) {
  const name = stack.pop()
  if (keep.has(name) || !(name in rules)) continue
  keep.add(name)
  for (const ref of referencesIn.get(name) ?? []) {
    let target = ref.replace(/ \. \$SITUATION$/, '')
    // rules defined by an ancestor's `avec` are not raw rules: keep that ancestor whole
    while (!(target in rules) && target.includes(' . ')) {
      target = target.split(' . ').slice(0, -1).join(' . ')
    }
    stack.push(target)
  }
  const parts = name.split(' . ')
  for (let i = 1; i < parts.length; i++) stack.push(parts.slice(0, i).join(' . '))
}
const subset = {}
for (const name of Object.keys(rules)) {
  if (keep.has(name)) {
    subset[name] = Object.fromEntries(Object.entries(rules[name] ?? {}).filter(([key]) => !DROP.has(key)))
  }
}
const out = {
  model: MODEL_PACKAGE,
  model_version: packageVersion(MODEL_PACKAGE),
  publicodes_version: packageVersion('publicodes'),
  source: `${MODEL_PACKAGE}@${packageVersion(MODEL_PACKAGE)}/public/co2-model.FR-lang.fr.json`,
  licence:
    'MIT (Nos Gestes Climat, ADEME / incubateur-ademe); some emission factors come from ' +
    'ADEME Base Empreinte and Agribalyse, under their own terms (see docs/footprints.md)',
  roots: ROOTS,
  actions: ACTIONS,
  rules: subset,
}
const outArg = process.argv.indexOf('--out')
const target =
  outArg > 0 ? process.argv[outArg + 1] : `${here}../../qet_geo/footprint/data/ngc-model.json`
fs.writeFileSync(`${target}.tmp`, `${JSON.stringify(out, null, 1)}\n`)
fs.renameSync(`${target}.tmp`, target)
console.log(`${Object.keys(subset).length} rules of ${Object.keys(rules).length} written to ${target}`)
