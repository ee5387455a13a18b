// Footprints of the Sphères d'Usages answers (bands), computed by the official engine.
//
// Reads qet_geo/footprint/data/su-bands.json (the representative NGC situation of each
// band, with a low and a high one) and writes su-bands-values.json beside it: per usage
// and band, the estimate and the low–high range in kgCO2e/yr, stamped with the model
// version. Heating is NGC's `logement . chauffage` plus the `logement . électricité` an
// electric system adds, measured against the same dwelling heated by gas.
//
//   make ngc && node tools/ngc/su_bands.mjs [--out FILE]
import fs from 'node:fs'
import Engine from 'publicodes'

const MODEL_PACKAGE = '@incubateur-ademe/nosgestesclimat'
const here = new URL('.', import.meta.url).pathname
const dataDir = `${here}../../qet_geo/footprint/data/`
const packageVersion = (name) =>
  JSON.parse(fs.readFileSync(`${here}node_modules/${name}/package.json`, 'utf8')).version
const rules = JSON.parse(
  fs.readFileSync(`${here}node_modules/${MODEL_PACKAGE}/public/co2-model.FR-lang.fr.json`, 'utf8'),
)
const spec = JSON.parse(fs.readFileSync(`${dataDir}su-bands.json`, 'utf8'))
const warnings = []
const engine = new Engine(rules, {
  logger: { log() {}, warn: (m) => warnings.push(String(m)), error: (m) => warnings.push(String(m)) },
})

function total(situation, names) {
  warnings.length = 0
  engine.setSituation(situation)
  const value = names.reduce((sum, name) => sum + (engine.evaluate(name).nodeValue ?? 0), 0)
  const real = warnings.filter((w) => !w.includes('Un cycle a été détecté'))
  if (real.length) throw new Error(`${JSON.stringify(situation)}: ${real.join('\n')}`)
  return value
}

const round = (x) => Math.round(x * 100) / 100
const out = {
  model: MODEL_PACKAGE,
  model_version: packageVersion(MODEL_PACKAGE),
  publicodes_version: packageVersion('publicodes'),
  unit: 'kgCO2e/an',
  usages: {},
}
for (const [usage, { variable, rules: names, baseline, baseline_rules }] of Object.entries(spec.usages)) {
  const offset = baseline ? total(baseline, baseline_rules) : 0
  const values = {}
  for (const [code, band] of Object.entries(spec.bands[variable])) {
    const levels = Object.fromEntries(
      ['estimate', 'low', 'high'].map((level) => [level, total(band[level], names) - offset]),
    )
    // the range always holds the estimate
    values[code] = {
      label: band.label,
      estimate: round(levels.estimate),
      low: round(Math.min(levels.low, levels.estimate, levels.high)),
      high: round(Math.max(levels.low, levels.estimate, levels.high)),
    }
  }
  out.usages[usage] = { variable, rules: names, values }
}
const outArg = process.argv.indexOf('--out')
const target = outArg > 0 ? process.argv[outArg + 1] : `${dataDir}su-bands-values.json`
fs.writeFileSync(`${target}.tmp`, `${JSON.stringify(out, null, 1)}\n`)
fs.renameSync(`${target}.tmp`, target)
console.log(`band footprints written to ${target}`)
