// Package pdf prints HTML pages to PDF in headless Chromium, the browser
// the dashboard's tests drive too: a report's HTML form, printed as it
// reads on screen, with nothing drawn by hand.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

// ErrNoBrowser: no Chromium to print with.
var ErrNoBrowser = errors.New("printing to PDF needs Chromium, and none is installed: apt-get install chromium (or put chromium, chromium-browser or google-chrome on PATH)")

// Browser is the Chromium (or Chrome) on PATH, or ErrNoBrowser.
func Browser() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// timeout bounds one print: a page that never settles must not hang it.
const timeout = 2 * time.Minute

// Print renders page, a whole HTML document that fetches nothing, and
// prints it with its CSS page size (A4 landscape in the reports), its
// backgrounds, and page numbers in the footer.
func Print(ctx context.Context, page []byte) ([]byte, error) {
	path, err := Browser()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "truce-pdf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, page, 0o600); err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // as root in containers; the page is our own
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
	)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+file)); err != nil {
		return nil, fmt.Errorf("pdf: open the page in %s: %w", path, err)
	}
	out, err := chromedp.Run(bctx, chromedp.PrintToPDF(
		chromedp.PDFPreferCSSPageSize(),
		chromedp.PDFPrintBackground(),
		chromedp.PDFOutlineAndTagged(), // headings as an outline, structure for screen readers
		chromedp.PDFHeaderTemplate(`<span></span>`),
		chromedp.PDFFooterTemplate(`<div style="font-size:8px; width:100%; text-align:center"><span class="pageNumber"></span> / <span class="totalPages"></span></div>`),
	))
	if err != nil {
		return nil, fmt.Errorf("pdf: print: %w", err)
	}
	return out, nil
}
