package crm

import "context"

// InsertFindingStatement is the statement and arguments with which CreateIfAbsent writes a
// new record of typeName with props, and on PostgreSQL looks for the holder of its unique
// values.
func (s *Service) InsertFindingStatement(ctx context.Context, accountID int64, typeName string, props map[string]string) (string, []any, error) {
	in := Input{Properties: props, ifAbsent: true}
	n, err := s.prepare(ctx, accountID, typeName, in)
	if err != nil {
		return "", nil, err
	}
	return n.ins.query, n.ins.at(s.clock.Now()), nil
}
