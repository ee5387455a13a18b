// The official Nos Gestes Climat engine as qet-geo's reference: reads a JSON array of items
// ({"name": ..., "situation": {rule: value}} or a bare situation object) on stdin and writes,
// per item, the footprint of each usage in kgCO2e/yr as the engine computes it, with the
// engine's own warnings (a misspelt choice only warns there and silently zeroes a term).
//
//   node tools/ngc/run_engine.mjs < situations.json > results.json
//   node tools/ngc/run_engine.mjs --rules 'transport . voiture . km' < situations.json
import fs from 'node:fs'
import Engine from 'publicodes'

const MODEL_PACKAGE = '@incubateur-ademe/nosgestesclimat'
const here = new URL('.', import.meta.url).pathname
const packageVersion = (name) =>
  JSON.parse(fs.readFileSync(`${here}node_modules/${name}/package.json`, 'utf8')).version
const modelDir = `${here}node_modules/${MODEL_PACKAGE}/`
const modelVersion = packageVersion(MODEL_PACKAGE)
const publicodesVersion = packageVersion('publicodes')
const rules = JSON.parse(fs.readFileSync(`${modelDir}public/co2-model.FR-lang.fr.json`, 'utf8'))

// docs/footprints.md: the five usages of the SU method as sums of NGC rules.
export const USAGES = {
  alimentation: ['alimentation'],
  avion: ['transport . avion'],
  mobilite: [
    'transport . voiture',
    'transport . deux roues',
    'transport . mobilité douce',
    'transport . transports commun',
    'transport . train',
  ],
  achats: ['divers . textile', 'divers . électroménager', 'divers . ameublement'],
  numerique: ['divers . numérique'],
}

const extraRules = []
const args = process.argv.slice(2)
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--rules') extraRules.push(...args[++i].split(',').map((s) => s.trim()))
}

let warnings = []
const engine = new Engine(rules, {
  logger: { log() {}, warn: (m) => warnings.push(String(m)), error: (m) => warnings.push(String(m)) },
})

const items = JSON.parse(fs.readFileSync(0, 'utf8'))
const results = items.map((item, index) => {
  const named = item && typeof item === 'object' && 'situation' in item
  const situation = named ? item.situation : item
  warnings = []
  engine.setSituation(situation ?? {})
  const value = (rule) => engine.evaluate(rule).nodeValue ?? 0
  const usages = {}
  const parts = {}
  for (const [usage, names] of Object.entries(USAGES)) {
    usages[usage] = 0
    for (const name of names) {
      parts[name] = value(name)
      usages[usage] += parts[name]
    }
  }
  const extra = Object.fromEntries(
    extraRules.map((r) => {
      if (!(r in rules)) throw new Error(`unknown rule: ${r}`)
      return [r, engine.evaluate(r).nodeValue ?? null]
    }),
  )
  return {
    index,
    ...(named && item.name !== undefined ? { name: item.name } : {}),
    usages,
    total: Object.values(usages).reduce((a, b) => a + b, 0),
    rules: { ...parts, ...extra },
    bilan: value('bilan'),
    warnings,
  }
})
process.stdout.write(
  JSON.stringify({ model: `${MODEL_PACKAGE}@${modelVersion}`, publicodes: publicodesVersion, results }),
)
