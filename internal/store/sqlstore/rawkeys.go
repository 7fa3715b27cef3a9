package sqlstore

// rawKeys are the column names of the datasets truce reads, in an order
// that is part of the stored format of packed raw records (rawpack.go): a
// packed record names a key by its place here. Append only: never reorder,
// rename or remove a name, or records stored before read back wrong. A
// name not here is stored in full, so the list only saves space. The
// names repeat the parsers' own lists (gdelt.Columns) on purpose: a parser
// may change its list, this one is frozen.
var rawKeys = [...]string{
	// ACLED, as its exports name the columns.
	"event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
	"actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
	"iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
	"source", "source_scale", "notes", "fatalities", "tags", "timestamp",
	// UCDP GED (those ACLED has already named are left out).
	"id", "relid", "active_year", "code_status", "type_of_violence", "conflict_dset_id", "conflict_new_id",
	"conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a",
	"side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
	"source_date", "source_headline", "source_original", "where_prec", "where_coordinates", "where_description",
	"adm_1", "adm_2", "geom_wkt", "priogrid_gid", "country_id", "event_clarity", "date_prec", "date_start",
	"date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
	// GDELT 2.0 events.
	"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
	"Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
	"Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
	"Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
	"Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
	"IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
	"GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
	"Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
	"Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
	"Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
	"Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
	"ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
	"ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
	"DATEADDED", "SOURCEURL",
	// Strike reports (missile attacks on Ukraine).
	"time_start", "time_end", "model", "launch_place", "target", "target_main", "launched", "destroyed",
	"not_reach_goal", "still_attacking", "border_crossing", "is_shahed", "num_hit_location",
	"num_fall_fragment_location", "carrier", "turbojet", "turbojet_destroyed", "affected region",
	"destroyed_details", "launched_details", "launch_place_details",
}

// rawKeyIndex is the place of each name in rawKeys.
var rawKeyIndex = func() map[string]int {
	m := make(map[string]int, len(rawKeys))
	for i, k := range rawKeys {
		if _, dup := m[k]; dup {
			panic("sqlstore: raw key listed twice: " + k)
		}
		m[k] = i
	}
	return m
}()
