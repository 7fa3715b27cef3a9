package taxonomy

// Targets is the target-category vocabulary.
//
// The energy branch follows the Kremlin's list of covered facilities of
// 25 March 2025 (oil refineries; oil and gas pipelines and storage including
// pumping stations; electricity generation and transmission; nuclear power
// plants; hydroelectric dams), split one level further where monitors need
// it (a substation and a power plant are different findings).
var Targets = newVocabulary("target category", []Term{
	{"energy", "Any energy infrastructure (all categories below)."},
	{"energy.refinery", "Oil refineries and their units (distillation, cracking, storage inside the refinery fence)."},
	{"energy.oil_gas", "Oil and gas pipelines, storage, pumping, compressor and metering stations, terminals and depots."},
	{"energy.oil_gas.pipeline", "Oil and gas pipelines and their valves."},
	{"energy.oil_gas.storage", "Oil, fuel and gas storage: tank farms, fuel depots, underground gas storage, oil terminals."},
	{"energy.oil_gas.pumping", "Pumping, compressor and gas metering or distribution stations."},
	{"energy.electricity", "Electricity generation, transmission and distribution."},
	{"energy.electricity.generation", "Thermal and combined heat and power plants, boiler houses feeding the grid, solar and wind farms."},
	{"energy.electricity.transmission", "Substations, transformers, power lines, distribution networks and grid control."},
	{"energy.nuclear", "Nuclear power plants and their switchyards and cooling systems."},
	{"energy.hydro", "Hydroelectric power plants and dams."},

	{"civilian", "Civilian objects not covered elsewhere."},
	{"civilian.residential", "Houses, apartment blocks, dormitories."},
	{"civilian.medical", "Hospitals, clinics, ambulances."},
	{"civilian.education", "Schools, kindergartens, universities."},
	{"civilian.religious", "Churches, mosques, synagogues, cemeteries."},
	{"civilian.commercial", "Shops, markets, offices, hotels, restaurants."},
	{"civilian.agriculture", "Farms, grain silos and terminals, agricultural land and machinery."},
	{"civilian.humanitarian", "Aid convoys, humanitarian corridors, shelters, evacuation points."},
	{"civilian.people", "People as the target: civilians in the open, vehicles, gatherings."},

	{"infrastructure", "Other civilian infrastructure."},
	{"infrastructure.transport", "Transport infrastructure."},
	{"infrastructure.transport.rail", "Railways, stations, depots, rolling stock."},
	{"infrastructure.transport.road", "Roads and road bridges."},
	{"infrastructure.transport.port", "Seaports, river ports, ships in port."},
	{"infrastructure.transport.airport", "Civilian airports."},
	{"infrastructure.water", "Water supply, treatment and sewage."},
	{"infrastructure.telecom", "Telecommunications, broadcasting, internet infrastructure."},
	{"infrastructure.industrial", "Factories and industrial plants not in the energy branch."},
	{"infrastructure.government", "Administrative buildings and public services."},

	{"military", "Military objects."},
	{"military.personnel", "Armed forces personnel and positions."},
	{"military.equipment", "Vehicles, artillery, air defence, aircraft, vessels."},
	{"military.base", "Bases, barracks, airfields, command posts."},
	{"military.logistics", "Ammunition and fuel depots, supply lines, military production."},

	{"unknown", "The target could not be determined."},
})
