package files

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Blobs keeps file contents by key: "account/id", made by this package only.
type Blobs interface {
	Put(key string, data []byte) error
	Get(key string) ([]byte, error)
	Delete(key string) error
}

// Dir keeps blobs as files in a directory tree. Several `settle serve` replicas need it on
// a directory they share.
type Dir struct {
	// Root is the directory; it is made on first write.
	Root string
}

// path is where key is kept, refusing keys that would leave Root.
func (d Dir) path(key string) (string, error) {
	if key == "" || strings.Contains(key, "..") || strings.HasPrefix(key, "/") || strings.ContainsRune(key, '\\') {
		return "", fmt.Errorf("blob key %q is not one this store makes", key)
	}
	return filepath.Join(d.Root, filepath.FromSlash(key)), nil
}

// Put writes data under key durably: to a temporary file first, synced, then renamed, so
// a reader never sees half a file and a crash leaves the old contents or the new.
func (d Dir) Put(key string, data []byte) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone already once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := errors.Join(tmp.Sync(), tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// Get reads the blob under key.
func (d Dir) Get(key string) ([]byte, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(p)
}

// Delete removes the blob under key; a missing one is no error.
func (d Dir) Delete(key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
