// Country-code tables, restated from public code lists: ISO 3166-1 numeric
// (as golang.org/x/text/language knows it, dissolved states dropped), FIPS
// 10-4 (GDELT's crosswalk in shared/data/cameo-lookups, corrected where it
// has ISO codes instead: FIPS GM is Germany, GA Gambia, GB Gabon, LO
// Slovakia) and the Gleditsch-Ward state list that UCDP numbers countries by.

package ingest

// CountryFromISONumeric maps an ISO 3166-1 numeric code ("804", "4", "032")
// to its alpha-2 code, as ACLED's iso column needs. ACLED codes Kosovo 0:
// it maps to the user-assigned XK. Unknown codes give "".
func CountryFromISONumeric(s string) string {
	n, ok := smallInt(s)
	if !ok || n >= len(isoNumeric) {
		return ""
	}
	return isoNumeric[n]
}

// CountryFromFIPS maps a FIPS 10-4 country code (GDELT's geography: UP
// Ukraine, RS Russia) to its ISO alpha-2 code, or "" when it has none.
func CountryFromFIPS(fips string) string { return fipsCountry[fips] }

// CountryFromGW maps a Gleditsch-Ward state number (UCDP's country_id: 369
// Ukraine, 365 Russia) to its ISO alpha-2 code, or "" when unknown. Former
// states map to their successor (260 German Federal Republic to DE, 678
// Yemen to YE).
func CountryFromGW(s string) string {
	n, ok := smallInt(s)
	if !ok || n >= len(gwCountry) {
		return ""
	}
	return gwCountry[n]
}

// smallInt parses a non-negative decimal of at most four digits.
func smallInt(s string) (int, bool) {
	if len(s) == 0 || len(s) > 4 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// isoNumeric is indexed by the ISO 3166-1 numeric code.
var isoNumeric = [...]string{
	0:   "XK", // Kosovo, as ACLED codes it
	4:   "AF", // Afghanistan
	8:   "AL", // Albania
	10:  "AQ", // Antarctica
	12:  "DZ", // Algeria
	16:  "AS", // American Samoa
	20:  "AD", // Andorra
	24:  "AO", // Angola
	28:  "AG", // Antigua & Barbuda
	31:  "AZ", // Azerbaijan
	32:  "AR", // Argentina
	36:  "AU", // Australia
	40:  "AT", // Austria
	44:  "BS", // Bahamas
	48:  "BH", // Bahrain
	50:  "BD", // Bangladesh
	51:  "AM", // Armenia
	52:  "BB", // Barbados
	56:  "BE", // Belgium
	60:  "BM", // Bermuda
	64:  "BT", // Bhutan
	68:  "BO", // Bolivia
	70:  "BA", // Bosnia & Herzegovina
	72:  "BW", // Botswana
	74:  "BV", // Bouvet Island
	76:  "BR", // Brazil
	84:  "BZ", // Belize
	86:  "IO", // British Indian Ocean Territory
	90:  "SB", // Solomon Islands
	92:  "VG", // British Virgin Islands
	96:  "BN", // Brunei
	100: "BG", // Bulgaria
	104: "MM", // Myanmar (Burma)
	108: "BI", // Burundi
	112: "BY", // Belarus
	116: "KH", // Cambodia
	120: "CM", // Cameroon
	124: "CA", // Canada
	132: "CV", // Cape Verde
	136: "KY", // Cayman Islands
	140: "CF", // Central African Republic
	144: "LK", // Sri Lanka
	148: "TD", // Chad
	152: "CL", // Chile
	156: "CN", // China
	158: "TW", // Taiwan
	162: "CX", // Christmas Island
	166: "CC", // Cocos (Keeling) Islands
	170: "CO", // Colombia
	174: "KM", // Comoros
	175: "YT", // Mayotte
	178: "CG", // Congo - Brazzaville
	180: "CD", // Congo - Kinshasa
	184: "CK", // Cook Islands
	188: "CR", // Costa Rica
	191: "HR", // Croatia
	192: "CU", // Cuba
	196: "CY", // Cyprus
	203: "CZ", // Czechia
	204: "BJ", // Benin
	208: "DK", // Denmark
	212: "DM", // Dominica
	214: "DO", // Dominican Republic
	218: "EC", // Ecuador
	222: "SV", // El Salvador
	226: "GQ", // Equatorial Guinea
	230: "ET", // Ethiopia
	231: "ET", // Ethiopia
	232: "ER", // Eritrea
	233: "EE", // Estonia
	234: "FO", // Faroe Islands
	238: "FK", // Falkland Islands
	239: "GS", // South Georgia & South Sandwich Islands
	242: "FJ", // Fiji
	246: "FI", // Finland
	248: "AX", // Åland Islands
	249: "FX", // France
	250: "FR", // France
	254: "GF", // French Guiana
	258: "PF", // French Polynesia
	260: "TF", // French Southern Territories
	262: "DJ", // Djibouti
	266: "GA", // Gabon
	268: "GE", // Georgia
	270: "GM", // Gambia
	275: "PS", // Palestinian Territories
	276: "DE", // Germany
	278: "DD", // Germany
	280: "DE", // Germany
	288: "GH", // Ghana
	292: "GI", // Gibraltar
	296: "KI", // Kiribati
	300: "GR", // Greece
	304: "GL", // Greenland
	308: "GD", // Grenada
	312: "GP", // Guadeloupe
	316: "GU", // Guam
	320: "GT", // Guatemala
	324: "GN", // Guinea
	328: "GY", // Guyana
	332: "HT", // Haiti
	334: "HM", // Heard & McDonald Islands
	336: "VA", // Vatican City
	340: "HN", // Honduras
	344: "HK", // Hong Kong SAR China
	348: "HU", // Hungary
	352: "IS", // Iceland
	356: "IN", // India
	360: "ID", // Indonesia
	364: "IR", // Iran
	368: "IQ", // Iraq
	372: "IE", // Ireland
	376: "IL", // Israel
	380: "IT", // Italy
	384: "CI", // Côte d’Ivoire
	388: "JM", // Jamaica
	392: "JP", // Japan
	398: "KZ", // Kazakhstan
	400: "JO", // Jordan
	404: "KE", // Kenya
	408: "KP", // North Korea
	410: "KR", // South Korea
	414: "KW", // Kuwait
	417: "KG", // Kyrgyzstan
	418: "LA", // Laos
	422: "LB", // Lebanon
	426: "LS", // Lesotho
	428: "LV", // Latvia
	430: "LR", // Liberia
	434: "LY", // Libya
	438: "LI", // Liechtenstein
	440: "LT", // Lithuania
	442: "LU", // Luxembourg
	446: "MO", // Macau SAR China
	450: "MG", // Madagascar
	454: "MW", // Malawi
	458: "MY", // Malaysia
	462: "MV", // Maldives
	466: "ML", // Mali
	470: "MT", // Malta
	474: "MQ", // Martinique
	478: "MR", // Mauritania
	480: "MU", // Mauritius
	484: "MX", // Mexico
	492: "MC", // Monaco
	496: "MN", // Mongolia
	498: "MD", // Moldova
	499: "ME", // Montenegro
	500: "MS", // Montserrat
	504: "MA", // Morocco
	508: "MZ", // Mozambique
	512: "OM", // Oman
	516: "NA", // Namibia
	520: "NR", // Nauru
	524: "NP", // Nepal
	528: "NL", // Netherlands
	531: "CW", // Curaçao
	533: "AW", // Aruba
	534: "SX", // Sint Maarten
	535: "BQ", // Caribbean Netherlands
	540: "NC", // New Caledonia
	548: "VU", // Vanuatu
	554: "NZ", // New Zealand
	558: "NI", // Nicaragua
	562: "NE", // Niger
	566: "NG", // Nigeria
	570: "NU", // Niue
	574: "NF", // Norfolk Island
	578: "NO", // Norway
	580: "MP", // Northern Mariana Islands
	581: "UM", // U.S. Outlying Islands
	583: "FM", // Micronesia
	584: "MH", // Marshall Islands
	585: "PW", // Palau
	586: "PK", // Pakistan
	591: "PA", // Panama
	598: "PG", // Papua New Guinea
	600: "PY", // Paraguay
	604: "PE", // Peru
	608: "PH", // Philippines
	612: "PN", // Pitcairn Islands
	616: "PL", // Poland
	620: "PT", // Portugal
	624: "GW", // Guinea-Bissau
	626: "TL", // Timor-Leste
	630: "PR", // Puerto Rico
	634: "QA", // Qatar
	638: "RE", // Réunion
	642: "RO", // Romania
	643: "RU", // Russia
	646: "RW", // Rwanda
	652: "BL", // St. Barthélemy
	654: "SH", // St. Helena
	659: "KN", // St. Kitts & Nevis
	660: "AI", // Anguilla
	662: "LC", // St. Lucia
	663: "MF", // St. Martin
	666: "PM", // St. Pierre & Miquelon
	670: "VC", // St. Vincent & Grenadines
	674: "SM", // San Marino
	678: "ST", // São Tomé & Príncipe
	682: "SA", // Saudi Arabia
	686: "SN", // Senegal
	688: "RS", // Serbia
	690: "SC", // Seychelles
	694: "SL", // Sierra Leone
	702: "SG", // Singapore
	703: "SK", // Slovakia
	704: "VN", // Vietnam
	705: "SI", // Slovenia
	706: "SO", // Somalia
	710: "ZA", // South Africa
	716: "ZW", // Zimbabwe
	720: "YD", // Yemen
	724: "ES", // Spain
	728: "SS", // South Sudan
	729: "SD", // Sudan
	732: "EH", // Western Sahara
	736: "SD", // Sudan
	740: "SR", // Suriname
	744: "SJ", // Svalbard & Jan Mayen
	748: "SZ", // Swaziland
	752: "SE", // Sweden
	756: "CH", // Switzerland
	760: "SY", // Syria
	762: "TJ", // Tajikistan
	764: "TH", // Thailand
	768: "TG", // Togo
	772: "TK", // Tokelau
	776: "TO", // Tonga
	780: "TT", // Trinidad & Tobago
	784: "AE", // United Arab Emirates
	788: "TN", // Tunisia
	792: "TR", // Turkey
	795: "TM", // Turkmenistan
	796: "TC", // Turks & Caicos Islands
	798: "TV", // Tuvalu
	800: "UG", // Uganda
	804: "UA", // Ukraine
	807: "MK", // Macedonia
	818: "EG", // Egypt
	826: "GB", // United Kingdom
	831: "GG", // Guernsey
	832: "JE", // Jersey
	833: "IM", // Isle of Man
	834: "TZ", // Tanzania
	840: "US", // United States
	850: "VI", // U.S. Virgin Islands
	854: "BF", // Burkina Faso
	858: "UY", // Uruguay
	860: "UZ", // Uzbekistan
	862: "VE", // Venezuela
	876: "WF", // Wallis & Futuna
	882: "WS", // Samoa
	886: "YE", // Yemen
	887: "YE", // Yemen
	894: "ZM", // Zambia
}

// gwCountry is indexed by the Gleditsch-Ward state number.
var gwCountry = [...]string{
	2:   "US", // United States
	20:  "CA", // Canada
	31:  "BS", // Bahamas
	40:  "CU", // Cuba
	41:  "HT", // Haiti
	42:  "DO", // Dominican Republic
	51:  "JM", // Jamaica
	52:  "TT", // Trinidad and Tobago
	53:  "BB", // Barbados
	54:  "DM", // Dominica
	55:  "GD", // Grenada
	56:  "LC", // Saint Lucia
	57:  "VC", // Saint Vincent and the Grenadines
	58:  "AG", // Antigua and Barbuda
	60:  "KN", // Saint Kitts and Nevis
	70:  "MX", // Mexico
	80:  "BZ", // Belize
	90:  "GT", // Guatemala
	91:  "HN", // Honduras
	92:  "SV", // El Salvador
	93:  "NI", // Nicaragua
	94:  "CR", // Costa Rica
	95:  "PA", // Panama
	100: "CO", // Colombia
	101: "VE", // Venezuela
	110: "GY", // Guyana
	115: "SR", // Suriname
	130: "EC", // Ecuador
	135: "PE", // Peru
	140: "BR", // Brazil
	145: "BO", // Bolivia
	150: "PY", // Paraguay
	155: "CL", // Chile
	160: "AR", // Argentina
	165: "UY", // Uruguay
	200: "GB", // United Kingdom
	205: "IE", // Ireland
	210: "NL", // Netherlands
	211: "BE", // Belgium
	212: "LU", // Luxembourg
	220: "FR", // France
	221: "MC", // Monaco
	223: "LI", // Liechtenstein
	225: "CH", // Switzerland
	230: "ES", // Spain
	232: "AD", // Andorra
	235: "PT", // Portugal
	255: "DE", // Germany
	260: "DE", // German Federal Republic
	290: "PL", // Poland
	305: "AT", // Austria
	310: "HU", // Hungary
	316: "CZ", // Czech Republic
	317: "SK", // Slovakia
	325: "IT", // Italy
	331: "SM", // San Marino
	338: "MT", // Malta
	339: "AL", // Albania
	341: "ME", // Montenegro
	343: "MK", // Macedonia
	344: "HR", // Croatia
	345: "RS", // Serbia (Yugoslavia)
	346: "BA", // Bosnia-Herzegovina
	347: "XK", // Kosovo
	349: "SI", // Slovenia
	350: "GR", // Greece
	352: "CY", // Cyprus
	355: "BG", // Bulgaria
	359: "MD", // Moldova
	360: "RO", // Romania
	365: "RU", // Russia (Soviet Union)
	366: "EE", // Estonia
	367: "LV", // Latvia
	368: "LT", // Lithuania
	369: "UA", // Ukraine
	370: "BY", // Belarus
	371: "AM", // Armenia
	372: "GE", // Georgia
	373: "AZ", // Azerbaijan
	375: "FI", // Finland
	380: "SE", // Sweden
	385: "NO", // Norway
	390: "DK", // Denmark
	395: "IS", // Iceland
	402: "CV", // Cape Verde
	403: "ST", // Sao Tome and Principe
	404: "GW", // Guinea-Bissau
	411: "GQ", // Equatorial Guinea
	420: "GM", // Gambia
	432: "ML", // Mali
	433: "SN", // Senegal
	434: "BJ", // Benin
	435: "MR", // Mauritania
	436: "NE", // Niger
	437: "CI", // Ivory Coast
	438: "GN", // Guinea
	439: "BF", // Burkina Faso
	450: "LR", // Liberia
	451: "SL", // Sierra Leone
	452: "GH", // Ghana
	461: "TG", // Togo
	471: "CM", // Cameroon
	475: "NG", // Nigeria
	481: "GA", // Gabon
	482: "CF", // Central African Republic
	483: "TD", // Chad
	484: "CG", // Congo
	490: "CD", // DR Congo (Zaire)
	500: "UG", // Uganda
	501: "KE", // Kenya
	510: "TZ", // Tanzania
	516: "BI", // Burundi
	517: "RW", // Rwanda
	520: "SO", // Somalia
	522: "DJ", // Djibouti
	530: "ET", // Ethiopia
	531: "ER", // Eritrea
	540: "AO", // Angola
	541: "MZ", // Mozambique
	551: "ZM", // Zambia
	552: "ZW", // Zimbabwe
	553: "MW", // Malawi
	560: "ZA", // South Africa
	565: "NA", // Namibia
	570: "LS", // Lesotho
	571: "BW", // Botswana
	572: "SZ", // Kingdom of eSwatini (Swaziland)
	580: "MG", // Madagascar
	581: "KM", // Comoros
	590: "MU", // Mauritius
	591: "SC", // Seychelles
	600: "MA", // Morocco
	615: "DZ", // Algeria
	616: "TN", // Tunisia
	620: "LY", // Libya
	625: "SD", // Sudan
	626: "SS", // South Sudan
	630: "IR", // Iran
	640: "TR", // Turkey
	645: "IQ", // Iraq
	651: "EG", // Egypt
	652: "SY", // Syria
	660: "LB", // Lebanon
	663: "JO", // Jordan
	666: "IL", // Israel
	670: "SA", // Saudi Arabia
	678: "YE", // Yemen (North Yemen)
	680: "YE", // South Yemen
	690: "KW", // Kuwait
	692: "BH", // Bahrain
	694: "QA", // Qatar
	696: "AE", // United Arab Emirates
	698: "OM", // Oman
	700: "AF", // Afghanistan
	701: "TM", // Turkmenistan
	702: "TJ", // Tajikistan
	703: "KG", // Kyrgyzstan
	704: "UZ", // Uzbekistan
	705: "KZ", // Kazakhstan
	710: "CN", // China
	712: "MN", // Mongolia
	713: "TW", // Taiwan
	731: "KP", // North Korea
	732: "KR", // South Korea
	740: "JP", // Japan
	750: "IN", // India
	760: "BT", // Bhutan
	770: "PK", // Pakistan
	771: "BD", // Bangladesh
	775: "MM", // Myanmar (Burma)
	780: "LK", // Sri Lanka
	781: "MV", // Maldives
	790: "NP", // Nepal
	800: "TH", // Thailand
	811: "KH", // Cambodia (Kampuchea)
	812: "LA", // Laos
	816: "VN", // Vietnam (North Vietnam)
	817: "VN", // South Vietnam
	820: "MY", // Malaysia
	830: "SG", // Singapore
	835: "BN", // Brunei
	840: "PH", // Philippines
	850: "ID", // Indonesia
	860: "TL", // East Timor
	900: "AU", // Australia
	910: "PG", // Papua New Guinea
	920: "NZ", // New Zealand
	940: "SB", // Solomon Islands
	950: "FJ", // Fiji
}

// fipsCountry maps FIPS 10-4 country codes to ISO alpha-2.
var fipsCountry = map[string]string{
	"AA": "AW", // Aruba
	"AC": "AG", // Antigua and Barbuda
	"AE": "AE", // The United Arab Emirates
	"AF": "AF", // Afghanistan
	"AG": "DZ", // Algeria
	"AJ": "AZ", // Azerbaijan
	"AL": "AL", // Albania
	"AM": "AM", // Armenia
	"AN": "AD", // Andorra
	"AO": "AO", // Angola
	"AQ": "AS", // American Samoa
	"AR": "AR", // Argentina
	"AS": "AU", // Australia
	"AT": "AU", // Ashmore and Cartier Islands
	"AU": "AT", // Austria
	"AV": "AI", // Anguilla
	"AY": "AQ", // Antarctica
	"BA": "BH", // Bahrain
	"BB": "BB", // Barbados
	"BC": "BW", // Botswana
	"BD": "BM", // Bermuda
	"BE": "BE", // Belgium
	"BF": "BS", // The Bahamas
	"BG": "BD", // Bangladesh
	"BH": "BZ", // Belize
	"BK": "BA", // Bosnia and Herzegovina
	"BL": "BO", // Bolivia (Plurinational State of)
	"BM": "MM", // Myanmar
	"BN": "BJ", // Benin
	"BO": "BY", // Belarus
	"BP": "SB", // Solomon Islands
	"BQ": "UM", // Navassa Island
	"BR": "BR", // Brazil
	"BS": "TF", // Bassas da India
	"BT": "BT", // Bhutan
	"BU": "BG", // Bulgaria
	"BX": "BN", // Brunei Darussalam
	"BY": "BI", // Burundi
	"CA": "CA", // Canada
	"CB": "KH", // Cambodia
	"CD": "TD", // Chad
	"CE": "LK", // Sri Lanka
	"CF": "CG", // The Congo
	"CG": "CD", // The Democratic Republic of the Congo
	"CH": "CN", // China
	"CI": "CL", // Chile
	"CJ": "KY", // The Cayman Islands
	"CK": "CC", // The Cocos (Keeling) Islands
	"CM": "CM", // Cameroon
	"CN": "KM", // The Comoros
	"CO": "CO", // Colombia
	"CQ": "MP", // The Northern Mariana Islands
	"CR": "AU", // Coral Sea Islands
	"CS": "CR", // Costa Rica
	"CT": "CF", // The Central African Republic
	"CU": "CU", // Cuba
	"CV": "CV", // Cabo Verde
	"CW": "CK", // The Cook Islands
	"CY": "CY", // Cyprus
	"DA": "DK", // Denmark
	"DJ": "DJ", // Djibouti
	"DO": "DM", // Dominica
	"DQ": "UM", // Jarvis Island
	"DR": "DO", // The Dominican Republic
	"DX": "GB", // Dhekelia Sovereign Base Area
	"EC": "EC", // Ecuador
	"EG": "EG", // Egypt
	"EI": "IE", // Ireland
	"EK": "GQ", // Equatorial Guinea
	"EN": "EE", // Estonia
	"ER": "ER", // Eritrea
	"ES": "SV", // El Salvador
	"ET": "ET", // Ethiopia
	"EU": "TF", // Europa Island
	"EZ": "CZ", // Czechia
	"FG": "GF", // French Guiana
	"FI": "FI", // Finland
	"FJ": "FJ", // Fiji
	"FK": "FK", // The Falkland Islands (Malvinas)
	"FM": "FM", // Micronesia (Federated States of)
	"FO": "FO", // The Faroe Islands
	"FP": "PF", // French Polynesia
	"FQ": "UM", // Baker Island
	"FR": "FR", // France
	"FS": "TF", // The French Southern Territories
	"GA": "GM", // The Gambia
	"GB": "GA", // Gabon
	"GC": "DE", // German Democratic Republic (former)
	"GE": "DE", // West Germany (former)
	"GG": "GE", // Georgia
	"GH": "GH", // Ghana
	"GI": "GI", // Gibraltar
	"GJ": "GD", // Grenada
	"GK": "GG", // Guernsey
	"GL": "GL", // Greenland
	"GM": "DE", // Germany
	"GO": "TF", // Glorioso Islands
	"GP": "GP", // Guadeloupe
	"GQ": "GU", // Guam
	"GR": "GR", // Greece
	"GT": "GT", // Guatemala
	"GV": "GN", // Guinea
	"GY": "GY", // Guyana
	"GZ": "PS", // Gaza Strip
	"HA": "HT", // Haiti
	"HK": "HK", // Hong Kong
	"HM": "HM", // Heard Island and McDonald Islands
	"HO": "HN", // Honduras
	"HQ": "UM", // Howland Island
	"HR": "HR", // Croatia
	"HU": "HU", // Hungary
	"IC": "IS", // Iceland
	"ID": "ID", // Indonesia
	"IM": "IM", // Isle of Man
	"IN": "IN", // India
	"IO": "IO", // The British Indian Ocean Territory
	"IR": "IR", // Iran (Islamic Republic of)
	"IS": "IL", // Israel
	"IT": "IT", // Italy
	"IV": "CI", // Côte d''Ivoire
	"IZ": "IQ", // Iraq
	"JA": "JP", // Japan
	"JE": "JE", // Jersey
	"JM": "JM", // Jamaica
	"JN": "SJ", // Jan Mayen
	"JO": "JO", // Jordan
	"JQ": "UM", // Johnston Atoll
	"JU": "TF", // Juan de Nova Island
	"KE": "KE", // Kenya
	"KG": "KG", // Kyrgyzstan
	"KN": "KP", // Democratic People''s Republic of Korea
	"KQ": "UM", // Kingman Reef
	"KR": "KI", // Kiribati
	"KS": "KR", // Republic of Korea
	"KT": "CX", // Christmas Island
	"KU": "KW", // Kuwait
	"KV": "XK", // Kosovo
	"KZ": "KZ", // Kazakhstan
	"LA": "LA", // Lao People''s Democratic Republic
	"LE": "LB", // Lebanon
	"LG": "LV", // Latvia
	"LH": "LT", // Lithuania
	"LI": "LR", // Liberia
	"LO": "SK", // Slovakia
	"LQ": "UM", // Palmyra Atoll
	"LS": "LI", // Liechtenstein
	"LT": "LS", // Lesotho
	"LU": "LU", // Luxembourg
	"LY": "LY", // Libya
	"MA": "MG", // Madagascar
	"MB": "MQ", // Martinique
	"MC": "MO", // Macao
	"MD": "MD", // Republic of Moldova
	"MF": "YT", // Mayotte
	"MG": "MN", // Mongolia
	"MH": "MS", // Montserrat
	"MI": "MW", // Malawi
	"MJ": "ME", // Montenegro
	"MK": "MK", // Republic of North Macedonia
	"ML": "ML", // Mali
	"MN": "MC", // Monaco
	"MO": "MA", // Morocco
	"MP": "MU", // Mauritius
	"MQ": "UM", // Midway Islands
	"MR": "MR", // Mauritania
	"MT": "MT", // Malta
	"MU": "OM", // Oman
	"MV": "MV", // Maldives
	"MX": "MX", // Mexico
	"MY": "MY", // Malaysia
	"MZ": "MZ", // Mozambique
	"NC": "NC", // New Caledonia
	"NE": "NU", // Niue
	"NF": "NF", // Norfolk Island
	"NG": "NE", // The Niger
	"NH": "VU", // Vanuatu
	"NI": "NG", // Nigeria
	"NL": "NL", // The Netherlands
	"NO": "NO", // Norway
	"NP": "NP", // Nepal
	"NR": "NR", // Nauru
	"NS": "SR", // Suriname
	"NU": "NI", // Nicaragua
	"NZ": "NZ", // New Zealand
	"OD": "SS", // South Sudan
	"PA": "PY", // Paraguay
	"PC": "PN", // Pitcairn
	"PE": "PE", // Peru
	"PK": "PK", // Pakistan
	"PL": "PL", // Poland
	"PM": "PA", // Panama
	"PO": "PT", // Portugal
	"PP": "PG", // Papua New Guinea
	"PS": "PW", // Palau
	"PU": "GW", // Guinea-Bissau
	"QA": "QA", // Qatar
	"RB": "RS", // Serbia
	"RE": "RE", // Réunion
	"RI": "RS", // Serbia
	"RM": "MH", // The Marshall Islands
	"RN": "MF", // Saint Martin (French part)
	"RO": "RO", // Romania
	"RP": "PH", // The Philippines
	"RQ": "PR", // Puerto Rico
	"RS": "RU", // The Russian Federation
	"RW": "RW", // Rwanda
	"SA": "SA", // Saudi Arabia
	"SB": "PM", // Saint Pierre and Miquelon
	"SC": "KN", // Saint Kitts and Nevis
	"SE": "SC", // Seychelles
	"SF": "ZA", // South Africa
	"SG": "SN", // Senegal
	"SH": "SH", // Saint Helena, Ascension and Tristan da Cunha
	"SI": "SI", // Slovenia
	"SL": "SL", // Sierra Leone
	"SM": "SM", // San Marino
	"SN": "SG", // Singapore
	"SO": "SO", // Somalia
	"SP": "ES", // Spain
	"ST": "LC", // Saint Lucia
	"SU": "SD", // The Sudan
	"SV": "SJ", // Svalbard and Jan Mayen
	"SW": "SE", // Sweden
	"SX": "GS", // South Georgia and the South Sandwich Islands
	"SY": "SY", // Syrian Arab Republic
	"SZ": "CH", // Switzerland
	"TB": "BL", // Saint Barthélemy
	"TD": "TT", // Trinidad and Tobago
	"TE": "TF", // Tromelin Island
	"TH": "TH", // Thailand
	"TI": "TJ", // Tajikistan
	"TK": "TC", // The Turks and Caicos Islands
	"TL": "TK", // Tokelau
	"TN": "TO", // Tonga
	"TO": "TG", // Togo
	"TP": "ST", // Sao Tome and Principe
	"TS": "TN", // Tunisia
	"TT": "TL", // Timor-Leste
	"TU": "TR", // Türkiye
	"TV": "TV", // Tuvalu
	"TW": "TW", // Taiwan (Province of China)
	"TX": "TM", // Turkmenistan
	"TZ": "TZ", // The United Republic of Tanzania
	"UG": "UG", // Uganda
	"UK": "GB", // The United Kingdom of Great Britain and Northern Ireland
	"UP": "UA", // Ukraine
	"US": "US", // The United States of America
	"UV": "BF", // Burkina Faso
	"UY": "UY", // Uruguay
	"UZ": "UZ", // Uzbekistan
	"VC": "VC", // Saint Vincent and the Grenadines
	"VE": "VE", // Venezuela (Bolivarian Republic of)
	"VI": "VG", // Virgin Islands (British)
	"VM": "VN", // Viet Nam
	"VQ": "VI", // Virgin Islands (U.S.)
	"VT": "VA", // The Holy See
	"WA": "NA", // Namibia
	"WE": "PS", // West Bank
	"WF": "WF", // Wallis and Futuna
	"WI": "EH", // Western Sahara
	"WQ": "UM", // Wake Island
	"WS": "WS", // Samoa
	"WZ": "SZ", // Eswatini
	"YI": "RS", // Serbia and Montenegro (former), to its successor Serbia
	"YM": "YE", // Yemen
	"YS": "YE", // Yemen, Democratic (former)
	"ZA": "ZM", // Zambia
	"ZI": "ZW", // Zimbabwe
}
