public import RecordStore

/// GRDB has a `Record` class of its own; files that import GRDB name the store's record through this alias.
public typealias StoredRecord = Record
