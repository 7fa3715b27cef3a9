package sqlstore

import (
	"bytes"
	"encoding/binary"
	"testing"
)

const acledRaw = `{"actor1":"Rioters (Uganda)","admin1":"Northern","country":"Uganda","event_date":"2022-02-23",` +
	`"event_id_cnty":"UGA7752","fatalities":"1","latitude":"2.44","notes":"On 23 February 2022, a group of locals ` +
	`intercepted and killed a suspected cattle thief. [size=no report]","source":"URN (Uganda)","year":"2022"}`

const acledText = "On 23 February 2022, a group of locals intercepted and killed a suspected cattle thief. [size=no report]"

func TestPackRawRoundTrip(t *testing.T) {
	for _, c := range []struct{ name, raw, text string }{
		{"acled", acledRaw, acledText},
		{"text not in the record", acledRaw, "something else"},
		{"empty object", `{}`, ""},
		{"unknown keys", `{"Zeta key":"v","ключ":"значение"}`, ""},
		{"escapes", `{"a":"say \"no\"\\ now\nthen\ttab\u0001 end","b":"<&>"}`, ""},
		{"the text twice", `{"a":"x","b":"x"}`, "x"},
		{"empty text and value", `{"a":"","b":"y"}`, ""},
		{"repeated key", `{"notes":"a","notes":"b"}`, "b"},
	} {
		t.Run(c.name, func(t *testing.T) {
			packed, ok := packRaw(nil, []byte(c.raw), c.text)
			if !ok {
				t.Fatalf("%s did not pack", c.raw)
			}
			got, err := unpackRaw(nil, packed, c.text)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.raw {
				t.Fatalf("unpacked\n%s\nwant\n%s", got, c.raw)
			}
		})
	}
	packed, _ := packRaw(nil, []byte(acledRaw), acledText)
	if len(packed) > len(acledRaw)-len(acledText)-100 {
		t.Errorf("an ACLED record of %d bytes packed to %d: keys or text not saved", len(acledRaw), len(packed))
	}
}

// TestPackRawRefuses: a record that would not come back byte for byte is
// stored as it is.
func TestPackRawRefuses(t *testing.T) {
	for _, raw := range []string{
		``, `{`, `[]`, `{"a": "b"}`, `{ "a":"b"}`, `{"a":1}`, `{"a":{"b":"c"}}`, `{"a":null}`,
		`{"a":"b",}`, `{"a":"b"} `, `{"a":"b""c":"d"}`, `{"a"}`, `{"a":"b"`, `{"a":"b}`,
		`{"a":"\/"}`,       // Append writes a plain slash
		`{"a":"\u00e9"}`,   // Append writes é as it is
		`{"a":"\u001F"}`,   // Append writes lower-case hex
		"{\"a\":\"\xff\"}", // invalid UTF-8: Append writes \ufffd
		"{\"a\":\"tab\there\"}",
		`{"a":"\x"}`,
	} {
		if packed, ok := packRaw(nil, []byte(raw), ""); ok {
			t.Errorf("%q packed to %q", raw, packed)
		}
	}
}

func TestUnpackRawCorrupt(t *testing.T) {
	good, _ := packRaw(nil, []byte(acledRaw), acledText)
	for _, p := range [][]byte{
		nil, {}, {2}, {rawPacked1, 0x80}, {rawPacked1, 1}, {rawPacked1, 1, 0x80},
		{rawPacked1, 1, 5, 'a'}, {rawPacked1, 8, 'a'}, binary.AppendUvarint([]byte{rawPacked1}, uint64(2*len(rawKeys)+1)), good[:len(good)-3],
	} {
		if got, err := unpackRaw(nil, p, acledText); err == nil {
			t.Errorf("%v unpacked to %q, want an error", p, got)
		}
	}
}

func FuzzPackRaw(f *testing.F) {
	f.Add([]byte(acledRaw), acledText)
	f.Add([]byte(`{"a":"say \"no\"\\ now\nthen"}`), "")
	f.Add([]byte(`{"a":"\u00e9"}`), "é")
	f.Fuzz(func(t *testing.T, raw []byte, text string) {
		packed, ok := packRaw(nil, raw, text)
		if !ok {
			return
		}
		got, err := unpackRaw(nil, packed, text)
		if err != nil {
			t.Fatalf("%q packed to %v, which does not unpack: %v", raw, packed, err)
		}
		if !bytes.Equal(got, raw) {
			t.Fatalf("%q packed and unpacked to %q", raw, got)
		}
	})
}

func FuzzUnpackRaw(f *testing.F) {
	good, _ := packRaw(nil, []byte(acledRaw), acledText)
	f.Add(good, acledText)
	f.Add([]byte{rawPacked1}, "")
	f.Fuzz(func(t *testing.T, packed []byte, text string) {
		_, _ = unpackRaw(nil, packed, text) // must not panic
	})
}

// A packer that has met other records' keys packs as a fresh one does.
func FuzzRawPackerRemembers(f *testing.F) {
	f.Add([]byte(acledRaw), []byte(`{"actor1":"x","event_date":"2022","notes":"n","year":"2022"}`), []byte(`{"admin1":"a","zz":"b"}`), acledText)
	f.Add([]byte(`{"a":"1","b":"2"}`), []byte(`{"b":"2","a":"1"}`), []byte(`{"a":"1","b" :"2"}`), "")
	f.Add([]byte(`{"ключ":"1","b":"2"}`), []byte(`{"ключ":"\u0001","b":"2"}`), []byte(`{"ключ"}`), "1")
	f.Fuzz(func(t *testing.T, a, b, c []byte, text string) {
		var p rawPacker
		for round := range 2 {
			for _, raw := range [][]byte{a, b, c, a} {
				want, wantOK := packRaw(nil, raw, text)
				got, ok := p.pack(nil, raw, text)
				if ok != wantOK || ok && !bytes.Equal(got, want) {
					t.Fatalf("round %d, %q: packed %v %q, fresh %v %q", round, raw, ok, got, wantOK, want)
				}
			}
		}
	})
}

func BenchmarkPackRaw(b *testing.B) {
	var p rawPacker
	raw := []byte(acledRaw)
	buf := make([]byte, 0, len(raw))
	for b.Loop() {
		buf, _ = p.pack(buf[:0], raw, acledText)
	}
}
