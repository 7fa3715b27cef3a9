package agreement

import "github.com/truce-monitor/truce/internal/strictyaml"

// Maximum lengths of the short fields, by path ([] for any index, * for any
// map key). Ids and names end up in every finding and report; a 50 MB id
// would be copied into all of them. Other text gets the limit "string".
var maxLen = map[string]int{
	"id":                                   64,
	"title":                                300,
	"parties[].id":                         32,
	"parties[].name":                       200,
	"parties[].aliases.*[]":                300,
	"mediators[].id":                       32,
	"mediators[].name":                     200,
	"guarantors[].id":                      32,
	"guarantors[].name":                    200,
	"sources[].id":                         64,
	"sources[].title":                      500,
	"sources[].publisher":                  200,
	"sources[].url":                        2048,
	"sources[].date":                       32,
	"window.start":                         64,
	"window.time_zone":                     64,
	"window.duration":                      32,
	"window.end":                           64,
	"window.source":                        64,
	"window.extended[].until":              64,
	"window.extended[].source":             64,
	"commitments[].id":                     64,
	"commitments[].title":                  300,
	"commitments[].bound[]":                32,
	"commitments[].prohibited.kinds[]":     64,
	"commitments[].prohibited.targets[]":   64,
	"commitments[].geography.countries[]":  8,
	"commitments[].geography.admin1[]":     200,
	"commitments[].source":                 64,
	"commitments[].exceptions[].id":        64,
	"commitments[].exceptions[].source":    64,
	"commitments[].exceptions[].kinds[]":   64,
	"commitments[].exceptions[].targets[]": 64,
	"readings[].party":                     32,
	"readings[].source":                    64,
	"proposals[].id":                       64,
	"proposals[].by":                       32,
	"proposals[].date":                     32,
	"proposals[].source":                   64,
	"history[].date":                       32,
}

// expect words what a value should look like where the kind alone ("a text
// value") would not help.
var expect = map[string]string{
	"window.start":            "a date-time like 2025-03-18T00:00",
	"window.end":              "a date-time like 2025-04-17T00:00",
	"window.time_zone":        "an IANA time zone like Europe/Moscow",
	"window.duration":         "a duration like 30d or 30h",
	"window.extended[].until": "a date-time like 2025-04-17T00:00",
	"readings[].window.start": "a date-time like 2025-03-25T00:00",
	"readings[].window.end":   "a date-time like 2025-04-24T00:00",
	"sources[].date":          "a date like 2025-03-18",
	"proposals[].date":        "a date like 2025-03-11",
	"history[].date":          "a date like 2025-03-18",
	"commitments[].bound":     "a list of party ids like [RU, UA]",
	"version":                 "a whole number like 1",
	"format":                  "the number 1",
}

func decodeOptions(lim strictyaml.Limits) strictyaml.Options {
	return strictyaml.Options{Limits: lim, MaxLen: maxLen, Expect: expect}
}
