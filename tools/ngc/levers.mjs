// The levers of the room for manoeuvre and the Nos Gestes Climat action rules each one stands
// for (docs/footprints.md, "Actions"): su_actions.mjs evaluates them on the SU bands,
// extract.mjs keeps them (and what they depend on) in ngc-model.json for qet-geo's evaluator.
//
// lever → [SU variable, [[action rule, main]…]]: `main` is the action whose saving on the
// representative situation of the top band comes closest to that band's footprint minus the
// next band's (su-bands-values.json); local food has no such band step, its main action is
// eating local.
export const LEVERS = {
  car: ['transportation_mode', [
    ['transport . voiture . boulot . sans voiture', true],
    ['transport . voiture . covoiturage', false],
    ['transport . voiture . voiture 5km', false],
  ]],
  meat: ['meat_frequency', [
    ['alimentation . repas . réduire viande . max 1 par jour', true],
    ['alimentation . repas . réduire viande . max 2 par semaine', false],
    ['alimentation . devenir végétarien', false],
  ]],
  local_food: ['meat_frequency', [
    ['alimentation . bonus . manger local', true],
    ['alimentation . bonus . manger de saison', false],
  ]],
  second_hand: ['purchasing_strategy', [
    ['divers . meuble ou électroménager . allongement', true],
    ['divers . textile . réduire neuf . privilégier la seconde main', false],
  ]],
  air: ['air_travel_frequency', [
    ["transport . avion . prendre moins l'avion", true],
    ["transport . avion . arrêter l'avion", false],
  ]],
  digital: ['digital_intensity', [
    ['divers . numérique . appareils . allongement', true],
  ]],
  heating: ['heat_source', [
    ['logement . chauffage . installer une PAC', true],
    ['logement . chauffage . raccordement réseau de chaleur', false],
  ]],
}

// every action rule of the levers, in order
export const ACTIONS = Object.values(LEVERS).flatMap(([, actions]) => actions.map(([name]) => name))
