// Nos Gestes Climat's own actions on the Sphères d'Usages bands, computed by the official engine.
//
// For each lever (docs/footprints.md, "Actions"), the NGC action rules it stands for — each one
// a term of the model's `actions` sum — evaluated on the representative situations of the
// bands of its SU question (qet_geo/footprint/data/su-bands.json, the same situations
// su_bands.mjs evaluates: estimate, low, high). Writes su-bands-actions.json beside them: per
// lever, action and band, what the action saves in kgCO2e/yr on the estimate, low and high
// situations (NGC's own value: positive is a saving), null where NGC does not apply the action
// to that situation. NGC's actions are alternatives, not additive: they are never summed here;
// `main` marks the one action per lever closest to moving one band down.
//
//   make ngc && node tools/ngc/su_actions.mjs [--out FILE]
import fs from 'node:fs'
import Engine from 'publicodes'
import { LEVERS } from './levers.mjs'

const MODEL_PACKAGE = '@incubateur-ademe/nosgestesclimat'
const here = new URL('.', import.meta.url).pathname
const dataDir = `${here}../../qet_geo/footprint/data/`
const packageVersion = (name) =>
  JSON.parse(fs.readFileSync(`${here}node_modules/${name}/package.json`, 'utf8')).version
const rules = JSON.parse(
  fs.readFileSync(`${here}node_modules/${MODEL_PACKAGE}/public/co2-model.FR-lang.fr.json`, 'utf8'),
)
const spec = JSON.parse(fs.readFileSync(`${dataDir}su-bands.json`, 'utf8'))

const inActions = new Set(rules.actions.formule.somme)
const warnings = []
const engine = new Engine(rules, {
  logger: { log() {}, warn: (m) => warnings.push(String(m)), error: (m) => warnings.push(String(m)) },
})

function value(situation, name) {
  warnings.length = 0
  engine.setSituation(situation)
  const result = engine.evaluate(name).nodeValue
  const real = warnings.filter((w) => !w.includes('Un cycle a été détecté'))
  if (real.length) throw new Error(`${JSON.stringify(situation)}: ${real.join('\n')}`)
  if (result === null || result === undefined || result === false) return null
  if (typeof result !== 'number') throw new Error(`${name}: not a number (${result})`)
  return Math.round(result * 100) / 100
}

const out = {
  model: MODEL_PACKAGE,
  model_version: packageVersion(MODEL_PACKAGE),
  publicodes_version: packageVersion('publicodes'),
  unit: 'kgCO2e/an',
  levers: {},
}
for (const [lever, [variable, actions]] of Object.entries(LEVERS)) {
  const entry = { variable, actions: {} }
  for (const [name, main] of actions) {
    if (!inActions.has(name)) throw new Error(`${name} is not one of the model's actions`)
    const values = {}
    for (const [code, band] of Object.entries(spec.bands[variable])) {
      values[code] = Object.fromEntries(
        ['estimate', 'low', 'high'].map((level) => [level, value(band[level], name)]),
      )
    }
    entry.actions[name] = { main, title: rules[name].titre ?? null, values }
  }
  out.levers[lever] = entry
}
const outArg = process.argv.indexOf('--out')
const target = outArg > 0 ? process.argv[outArg + 1] : `${dataDir}su-bands-actions.json`
fs.writeFileSync(`${target}.tmp`, `${JSON.stringify(out, null, 1)}\n`)
fs.renameSync(`${target}.tmp`, target)
console.log(`band actions written to ${target}`)
