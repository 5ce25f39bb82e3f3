// Package files keeps what accounts upload — logos and dispute evidence — in the database,
// contents included: every replica serves every file, and a file is written whole in one
// statement or not at all. A file is visible to its own account only, and is checked for
// what it claims to be before it is kept.
package files

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"image"
	_ "image/gif"  // logos may be GIF
	_ "image/jpeg" // or JPEG
	_ "image/png"  // or PNG
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// Purpose is what a file is for; it decides what the file may be.
type Purpose string

// The purposes of files.
const (
	PurposeLogo            Purpose = "logo"
	PurposeDisputeEvidence Purpose = "dispute_evidence"
)

// File describes a kept file.
type File struct {
	ID          string
	AccountID   int64
	Purpose     Purpose
	Name        string
	ContentType string
	Size        int64
	// SHA256 is the hex digest of the contents.
	SHA256    string
	CreatedAt time.Time
}

// rule is what files of one purpose may be. maxPixels bounds an image's width and height,
// so that a small file cannot unpack into an enormous picture where it is checked, shown or
// printed (a 2,048-pixel square is 16 MB decoded).
type rule struct {
	maxSize   int64
	maxPixels int
	types     []string
}

// rules by purpose: logos are small images; evidence may also be a PDF.
var rules = map[Purpose]rule{
	PurposeLogo:            {maxSize: 2 << 20, maxPixels: 2048, types: []string{"image/png", "image/jpeg", "image/gif"}},
	PurposeDisputeEvidence: {maxSize: 5 << 20, maxPixels: 4096, types: []string{"image/png", "image/jpeg", "image/gif", "application/pdf"}},
}

// maxNameLength bounds a file's name, in characters.
const maxNameLength = 255

// Store keeps files.
type Store struct {
	db    *db.DB
	clock clock.Clock
}

// New returns a Store over d.
func New(d *db.DB, c clock.Clock) *Store {
	return &Store{db: d, clock: c}
}

// Put checks data against what files of purpose may be, keeps it and returns its
// description. Its type comes from its contents, never from what the uploader said. An
// unknown purpose, an empty or oversized file, or contents of another type are a
// *problem.InvalidError, and nothing is kept.
func (s *Store) Put(ctx context.Context, accountID int64, purpose Purpose, name string, data []byte) (File, error) {
	contentType, err := check(purpose, data)
	if err != nil {
		return File{}, err
	}
	sum := sha256.Sum256(data)
	f := File{ID: newID(), AccountID: accountID, Purpose: purpose, Name: cleanName(name), ContentType: contentType,
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), CreatedAt: s.clock.Now().UTC()}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO files (id, account_id, purpose, name, content_type, size, sha256, data, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, f.ID, f.AccountID, f.Purpose, f.Name, f.ContentType, f.Size, f.SHA256, data, f.CreatedAt)
		return err
	})
	if err != nil {
		return File{}, fmt.Errorf("keep file: %w", err)
	}
	return f, nil
}

// PutPart is Put for a file part of a posted form (what http.Request.FormFile returns): it
// reads the part whole, closes it and keeps it under the name the uploader gave.
func (s *Store) PutPart(ctx context.Context, accountID int64, purpose Purpose, part multipart.File, h *multipart.FileHeader) (File, error) {
	defer part.Close()
	data, err := io.ReadAll(part)
	if err != nil {
		return File{}, err
	}
	return s.Put(ctx, accountID, purpose, h.Filename, data)
}

// Get returns the description of an account's file; another account's is not found.
func (s *Store) Get(ctx context.Context, accountID int64, id string) (File, error) {
	return s.read(ctx, accountID, id, "")
}

// read reads an account's file, and the more columns into more.
func (s *Store) read(ctx context.Context, accountID int64, id, columns string, more ...any) (File, error) {
	var f File
	err := s.db.Reader(ctx).QueryRowContext(ctx, `SELECT id, account_id, purpose, name, content_type, size, sha256, created_at`+columns+`
		FROM files WHERE account_id = $1 AND id = $2`, accountID, id).
		Scan(append([]any{&f.ID, &f.AccountID, &f.Purpose, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.CreatedAt}, more...)...)
	f.CreatedAt = f.CreatedAt.UTC()
	return f, db.NotFoundOr(err, "file %s", id)
}

// Open returns an account's file with its contents.
func (s *Store) Open(ctx context.Context, accountID int64, id string) (File, []byte, error) {
	var data []byte
	f, err := s.read(ctx, accountID, id, ", data", &data)
	return f, data, err
}

// check returns data's type when it may be a file of purpose.
func check(purpose Purpose, data []byte) (string, error) {
	r, ok := rules[purpose]
	if !ok {
		return "", problem.Invalid("purpose", "INVALID_OPTION", fmt.Sprintf("The purpose must be logo or dispute_evidence, not %q.", purpose))
	}
	switch {
	case len(data) == 0:
		return "", problem.Invalid("file", "REQUIRED", "The file is empty.")
	case int64(len(data)) > r.maxSize:
		return "", problem.Invalid("file", "FILE_TOO_LARGE", fmt.Sprintf("A %s file may be at most %d MB.", purpose, r.maxSize>>20))
	}
	contentType := http.DetectContentType(data)
	if !slices.Contains(r.types, contentType) {
		return "", problem.Invalid("file", "INVALID_FILE_TYPE",
			fmt.Sprintf("A %s file must be %s; this one is %s.", purpose, strings.Join(r.types, ", "), contentType))
	}
	if strings.HasPrefix(contentType, "image/") {
		if err := checkImage(data, r.maxPixels); err != nil {
			return "", err
		}
	}
	return contentType, nil
}

// checkImage reads the whole image, not only its header, so that a truncated or corrupt
// one is refused here rather than failing where it is shown or printed.
func checkImage(data []byte, maxPixels int) error {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return problem.Invalid("file", "INVALID_FILE_TYPE", "The image cannot be read: "+err.Error())
	}
	if cfg.Width > maxPixels || cfg.Height > maxPixels {
		return problem.Invalid("file", "IMAGE_TOO_LARGE",
			fmt.Sprintf("The image is %d × %d pixels; at most %d × %d.", cfg.Width, cfg.Height, maxPixels, maxPixels))
	}
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return problem.Invalid("file", "INVALID_FILE_TYPE", "The image cannot be read: "+err.Error())
	}
	return nil
}

// cleanName keeps the last element of an uploaded file's name, without control
// characters, at most maxNameLength characters; "upload" when nothing is left.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	for utf8.RuneCountInString(name) > maxNameLength {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == "/" {
		return "upload"
	}
	return name
}

// newID returns a new file id: "file_" and 24 random hex digits.
func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return "file_" + hex.EncodeToString(b)
}
