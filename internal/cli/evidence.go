package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/vocab"
)

// maxEvidenceFile bounds an upload.
const maxEvidenceFile = app.MaxEvidenceFile

func (a *invocation) evidenceCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "evidence",
		Short: "Attach evidence to findings and incidents, and list it",
		Long: `Evidence backs a review step: a URL, an uploaded file (stored once by its
SHA-256, with its size and media type), a geolocation (latitude, longitude
and how it was established; by whom is the user adding it),
chronolocation notes, free notes, or several of these in one item.

Evidence is never deleted or edited: a correction is a new item that
supersedes the old one (--supersedes ID). Refuting needs at least one
standing item, and a subject resting only on machine-coded sources (GDELT)
needs one before it can be corroborated. Monitors, analysts and admins may
add evidence.`,
		Example: `  truce evidence add finding/12 --url https://t.me/channel/1234 --notes "video of the strike"
  truce evidence add finding/12 --file crater.jpg --lat 48.8512 --lon 37.6031 --geo-method "skyline matched to satellite imagery"
  truce evidence add finding/12 --chronolocation "shadows put it at 09:00-10:00 local" --supersedes 3
  truce evidence list finding/12 --all
  truce evidence get finding/12 <sha256> --out crater.jpg`,
		Args: usageArgs(cobra.NoArgs),
	}
	c.AddCommand(a.evidenceAddCommand(), a.evidenceListCommand(), a.evidenceGetCommand())
	return c
}

type evidenceFlags struct {
	url, file, mediaType, geoMethod, chrono, notes string
	lat, lon                                       float64
	supersedes                                     int64
}

func (a *invocation) evidenceAddCommand() *cobra.Command {
	var fl evidenceFlags
	c := &cobra.Command{
		Use:   "add SUBJECT [--url U] [--file F] [--media-type T] [--lat X --lon Y --geo-method TEXT] [--chronolocation TEXT] [--notes TEXT] [--supersedes ID]",
		Short: "Attach an evidence item to a finding or an incident",
		Long: `Attach one evidence item to SUBJECT (finding/ID or incident/ID), as the user
of TRUCE_TOKEN ("local" on a database without users). Give at least one of
--url, --file, a geolocation, --chronolocation or --notes.

A file is read whole (up to 64 MiB), after the token is checked, and
stored once by its SHA-256, which is printed; a pipe or FIFO works too, and
Ctrl-C or SIGTERM ends a wait for it; its media type is sniffed from its first bytes unless --media-type
says it. A geolocation needs --lat, --lon and --geo-method together.
--supersedes ID replaces a standing item of the same subject, which stays
on record, marked superseded.`,
		Example: `  truce evidence add finding/12 --url https://example.org/report --notes "local news, names the substation"
  truce evidence add incident/3 --file photo.jpg --lat 48.8512 --lon 37.6031 --geo-method "street signs and skyline"
  truce evidence add finding/12 --notes "the video is from 2023 (reverse image search)" --supersedes 5`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			subj, err := reviewSubject(args[0])
			if err != nil {
				return err
			}
			return a.runEvidenceAdd(c, subj, fl)
		},
	}
	f := c.Flags()
	f.StringVar(&fl.url, "url", "", "where the evidence is published")
	f.StringVar(&fl.file, "file", "", "a `FILE` to upload (photo, video, document)")
	f.StringVar(&fl.mediaType, "media-type", "", "the file's media `TYPE` (default: sniffed from its content)")
	f.Float64Var(&fl.lat, "lat", 0, "geolocation: latitude, decimal degrees")
	f.Float64Var(&fl.lon, "lon", 0, "geolocation: longitude, decimal degrees")
	f.StringVar(&fl.geoMethod, "geo-method", "", "geolocation: how the place was established")
	f.StringVar(&fl.chrono, "chronolocation", "", "when it happened, and how that was established")
	f.StringVar(&fl.notes, "notes", "", "anything else a reviewer should know")
	f.Int64Var(&fl.supersedes, "supersedes", 0, "the `ID` of a standing item this one replaces")
	return c
}

func (a *invocation) runEvidenceAdd(c *cobra.Command, subj vocab.Ref, fl evidenceFlags) error {
	ctx := c.Context()
	item := review.EvidenceItem{
		Subject: subj, URL: fl.url, MediaType: fl.mediaType, GeoMethod: fl.geoMethod,
		Chronolocation: fl.chrono, Notes: fl.notes, Supersedes: fl.supersedes,
	}
	flags := c.Flags()
	if flags.Changed("lat") || flags.Changed("lon") || fl.geoMethod != "" {
		if !flags.Changed("lat") || !flags.Changed("lon") || strings.TrimSpace(fl.geoMethod) == "" {
			return &exitError{code: 2, err: errors.New("a geolocation needs --lat, --lon and --geo-method together")}
		}
		item.Lat, item.Lon = &fl.lat, &fl.lon
	}
	if u, err := url.Parse(fl.url); fl.url != "" && (err != nil || u.Scheme == "" || u.Host == "" && u.Opaque == "") {
		return &exitError{code: 2, err: fmt.Errorf("--url %q is not an absolute URL: write it as https://host/path", fl.url)}
	}
	if fl.mediaType != "" && fl.file == "" {
		return &exitError{code: 2, err: errors.New("--media-type describes --file: give the file too")}
	}
	if item.URL == "" && fl.file == "" && item.Lat == nil && item.Chronolocation == "" && item.Notes == "" {
		return &exitError{code: 2, err: errors.New("nothing to add: give --url, --file, --lat/--lon/--geo-method, --chronolocation or --notes")}
	}
	ap, err := a.openApp(ctx, false)
	if err != nil {
		return err
	}
	defer ap.Close()
	add := app.NewEvidence{Item: item}
	if fl.file != "" {
		item.FileName = filepath.Base(fl.file)
		add.Item, add.File = item, func() ([]byte, error) {
			// Read once the token is checked. A FIFO blocks in open until a
			// writer comes: Ctrl-C ends the wait.
			content, err := untilDone(ctx, func() ([]byte, error) { return readEvidenceFile(fl.file) })
			if errors.Is(err, errInterrupted) {
				return nil, fmt.Errorf("--file %s: %w", fl.file, err)
			}
			return content, err
		}
	}
	stored, err := ap.AddEvidence(ctx, add)
	if err != nil {
		return err
	}
	out := report.TermWriter(c.OutOrStdout())
	fmt.Fprintf(out, "evidence #%d on %s by %s (audit entry %d)\n", stored.ID, subj, stored.AddedBy, stored.AuditSeq)
	if stored.SHA256 != "" {
		fmt.Fprintf(out, "file %s sha256 %s (%d bytes, %s)\n", stored.FileName, stored.SHA256, stored.Size, stored.MediaType)
	}
	if stored.Supersedes != 0 {
		fmt.Fprintf(out, "supersedes #%d\n", stored.Supersedes)
	}
	return nil
}

// readEvidenceFile reads an upload, refusing one too large to keep in the
// database before reading it.
func readEvidenceFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("--file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("--file: %w", err)
	}
	if info.Size() > maxEvidenceFile {
		return nil, fmt.Errorf("--file %s: %d bytes is over the %d MiB truce stores: keep it elsewhere and give its --url", name, info.Size(), maxEvidenceFile>>20)
	}
	content, err := io.ReadAll(io.LimitReader(f, maxEvidenceFile+1))
	if err != nil {
		return nil, fmt.Errorf("--file %s: %w", name, err)
	}
	if len(content) == 0 {
		return nil, fmt.Errorf("--file %s is empty", name)
	}
	if len(content) > maxEvidenceFile {
		return nil, fmt.Errorf("--file %s is over the %d MiB truce stores: keep it elsewhere and give its --url", name, maxEvidenceFile>>20)
	}
	return content, nil
}

func (a *invocation) evidenceListCommand() *cobra.Command {
	var all bool
	var output string
	c := &cobra.Command{
		Use:   "list SUBJECT [--all] [--output text|json]",
		Short: "List the evidence on a finding or an incident",
		Long: `List the standing evidence items of SUBJECT, oldest first; --all adds the
superseded ones, marked with their successor. A viewer can list the
evidence of published subjects only.`,
		Example: `  truce evidence list finding/12
  truce evidence list incident/3 --all --output json`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			subj, err := reviewSubject(args[0])
			if err != nil {
				return err
			}
			ctx := c.Context()
			ap, err := a.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer ap.Close()
			items, err := ap.Evidence(ctx, subj, all)
			if err != nil {
				return err
			}
			w := c.OutOrStdout()
			if output == outJSON {
				return writeJSONLines(w, items)
			}
			for i := range items {
				printEvidenceItem(report.TermWriter(w), &items[i])
			}
			fmt.Fprintf(c.ErrOrStderr(), "%d evidence items on %s\n", len(items), subj)
			return nil
		},
	}
	c.Flags().BoolVar(&all, "all", false, "also list superseded items")
	outputFlag(c, &output, []string{outText, outJSON})
	return c
}

func (a *invocation) evidenceGetCommand() *cobra.Command {
	var outFile, oldFile string
	c := &cobra.Command{
		Use:   "get SUBJECT SHA256 [--out FILE]",
		Short: "Write out a file attached as evidence, checked against its SHA-256",
		Long: `Write the file with this SHA-256 (as 'truce evidence list' shows it),
attached to SUBJECT, to FILE (--out) or to standard output. The content is hashed
again before it is written: a file whose content no longer matches its
SHA-256 was altered in the database, and is refused. A viewer can get the
files of published subjects only.

--out names the file; --output and -o, which named it before, now name an
output format in every command, so here they are refused, saying so.`,
		Example: `  truce evidence get finding/12 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 --out crater.jpg`,
		Args:    usageArgs(cobra.ExactArgs(2)),
		RunE: func(c *cobra.Command, args []string) error {
			if c.Flags().Changed("output") {
				return &exitError{code: 2, err: fmt.Errorf("evidence get writes a file: give it as --out %s (--output and -o name an output format now, in every command)", oldFile)}
			}
			subj, err := reviewSubject(args[0])
			if err != nil {
				return err
			}
			sum := strings.ToLower(args[1])
			if b, err := hex.DecodeString(sum); err != nil || len(b) != sha256.Size {
				return &exitError{code: 2, err: fmt.Errorf("%q is not a SHA-256: write its 64 hex digits, as 'truce evidence list %s' shows them", args[1], subj)}
			}
			ctx := c.Context()
			ap, err := a.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer ap.Close()
			content, err := ap.EvidenceFile(ctx, subj, sum)
			if err != nil {
				return err
			}
			if outFile == "" || outFile == "-" {
				_, err = c.OutOrStdout().Write(content)
				return err
			}
			if err := os.WriteFile(outFile, content, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(c.ErrOrStderr(), "wrote %s (%d bytes, sha256 verified)\n", outFile, len(content))
			return nil
		},
	}
	c.Flags().StringVar(&outFile, "out", "", "write to `FILE` (default: standard output)")
	// The old spelling of --out, refused with how to write it now: kept as
	// a file name, -o would mean a file here and a format everywhere else.
	c.Flags().StringVarP(&oldFile, "output", "o", "", "replaced by --out FILE")
	_ = c.Flags().MarkHidden("output")
	return c
}

func printEvidenceItem(w io.Writer, e *app.Evidence) {
	fmt.Fprintf(w, "  #%d %s by %s", e.ID, e.AddedAt.Format(time.RFC3339), e.AddedBy)
	switch {
	case e.SupersededBy != 0:
		fmt.Fprintf(w, " (superseded by #%d)", e.SupersededBy)
	case e.Supersedes != 0:
		fmt.Fprintf(w, " (supersedes #%d)", e.Supersedes)
	}
	fmt.Fprintln(w)
	if e.URL != "" {
		fmt.Fprintf(w, "     url: %s\n", e.URL)
	}
	if e.SHA256 != "" {
		fmt.Fprintf(w, "     file: %s sha256 %s (%d bytes, %s)\n", orDash(e.FileName, "-"), e.SHA256, e.Size, e.MediaType)
	}
	if e.Lat != nil {
		fmt.Fprintf(w, "     geolocation: %s, %s by %s: %s\n", strconv.FormatFloat(*e.Lat, 'f', -1, 64),
			strconv.FormatFloat(*e.Lon, 'f', -1, 64), e.AddedBy, e.GeoMethod)
	}
	if e.Chronolocation != "" {
		fmt.Fprintf(w, "     chronolocation: %s\n", e.Chronolocation)
	}
	if e.Notes != "" {
		fmt.Fprintf(w, "     notes: %s\n", e.Notes)
	}
}
