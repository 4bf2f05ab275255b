import GRDB

/// Hands out message ids from one sequence for the whole service, kept in the state file.
///
/// A subscriber deduplicates on the message id, so an id must never come back: not after a topic is deleted and
/// created again, nor from a new state file. Each id is the larger of the last one plus one and the current time in
/// microseconds since 1970: strictly increasing within a state file, and a new state file starts above every id an
/// earlier one handed out unless the clock went back (ids run ahead of the clock only by as many as were handed out
/// within one microsecond). They are decimal strings, as Google's are.
enum MessageIds {
    /// Reserves `count` ids at `nowMicros`, in order, inside the caller's transaction.
    static func next(_ count: Int, nowMicros: Int64, in db: Database) throws -> [String] {
        guard var last = try Int64.fetchOne(db, sql: "SELECT last_message_id FROM message_ids") else {
            throw PubSubError.internalError("The message id sequence is missing from the state file.")
        }
        var ids: [String] = []
        ids.reserveCapacity(count)
        for _ in 0..<count {
            last = max(last + 1, nowMicros)
            ids.append(String(last))
        }
        try db.execute(sql: "UPDATE message_ids SET last_message_id = ?", arguments: [last])
        return ids
    }
}
