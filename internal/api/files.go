package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/files"
	"github.com/settlehq/settle/internal/problem"
)

// FileUpload describes the multipart form of POST /settle/v1/files.
type FileUpload struct {
	// File is the uploaded file's part; its type is read from its contents.
	File string `json:"file"`
	// Purpose is what the file is for, which decides what it may be.
	Purpose string `json:"purpose" enum:"logo,dispute_evidence"`
}

// FileJSON is a kept file as the API shows it.
type FileJSON struct {
	ID          string    `json:"id"`
	Purpose     string    `json:"purpose" enum:"logo,dispute_evidence"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
}

// maxUpload bounds an upload's body: the largest file a purpose allows and its form.
const maxUpload = 6 << 20

func (a *API) fileRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/settle/v1/files", Scope: auth.ScopeAccountWrite, Tag: "Account",
			Summary: "Upload a logo or a piece of dispute evidence (multipart/form-data: file, purpose)",
			Request: FileUpload{}, RequestMedia: "multipart/form-data", Response: FileJSON{}, Status: http.StatusCreated,
			handle: a.uploadFile},
	}
}

func (a *API) uploadFile(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return problem.Invalid("file", "FILE_TOO_LARGE", "The upload is larger than 6 MB.")
		}
		return problem.Invalid("file", "INVALID_UPLOAD", "Send the file as multipart/form-data with a file part and a purpose field.")
	}
	defer r.MultipartForm.RemoveAll()
	part, header, err := r.FormFile("file")
	if err != nil {
		return problem.Invalid("file", "REQUIRED", "The form has no file part named file.")
	}
	f, err := a.deps.Files.PutPart(r.Context(), p.AccountID, files.Purpose(r.FormValue("purpose")), part, header)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, fileJSON(f))
	return nil
}

func fileJSON(f files.File) FileJSON {
	return FileJSON{ID: f.ID, Purpose: string(f.Purpose), Filename: f.Name, ContentType: f.ContentType, Size: f.Size,
		SHA256: f.SHA256, CreatedAt: f.CreatedAt}
}
