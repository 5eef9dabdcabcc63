import Foundation
import ZIPFoundation

/// Reads the entries of a ZIP container held in memory.
///
/// The central directory is parsed here, with every offset and size checked against the bytes that are
/// actually there; ZIPFoundation inflates and checksums. Its Linux inflater (`Data.decompress`) tells
/// zlib that every input chunk is a full buffer long, and asks for more input for ever once a deflate
/// stream runs past the end of its data (so `Archive.extract` hangs on a truncated or crafted entry).
/// Here it is fed full buffers only (the entry's compressed bytes, then zeros, which no valid stream
/// reaches), and asking for input past the entry's end is an error.
struct ZipContainer {
    /// One file of the container.
    struct Entry {
        let path: String
        let method: UInt16
        let flags: UInt16
        let crc32: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    /// The entries, in directory order.
    let entries: [Entry]
    private let data: Data
    private let byPath: [String: Int]

    /// Reads the directory of `bytes`, which may declare at most `maxEntries` entries.
    init(bytes: [UInt8], maxEntries: Int) throws {
        let data = Data(bytes)
        let reader = ByteReader(data)
        let end = try Self.endOfCentralDirectory(reader)
        guard end.entryCount <= maxEntries else {
            throw ExtractionError.tooManyEntries(count: end.entryCount, limit: maxEntries)
        }
        guard end.directoryOffset <= bytes.count, end.directorySize <= bytes.count - end.directoryOffset else {
            throw ExtractionError.corruptZip(entry: nil, detail: "the central directory lies outside the file")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(end.entryCount)
        var offset = end.directoryOffset
        for _ in 0..<end.entryCount {
            let (entry, next) = try Self.directoryEntry(reader, at: offset)
            entries.append(entry)
            offset = next
        }
        self.entries = entries
        self.data = data
        var byPath: [String: Int] = [:]
        for (index, entry) in entries.enumerated() where byPath[entry.path] == nil { byPath[entry.path] = index }
        self.byPath = byPath
    }

    /// Whether the container has an entry at `path`.
    func contains(_ path: String) -> Bool { byPath[path] != nil }

    /// The bytes of the entry at `path` (nil when there is none), each expanded byte charged to `context`.
    func read(_ path: String, context: ExtractionContext) throws -> [UInt8]? {
        guard let index = byPath[path] else { return nil }
        return try read(entries[index], context: context)
    }

    /// The bytes of `entry`, checked against its size and checksum, each expanded byte charged to `context`.
    func read(_ entry: Entry, context: ExtractionContext) throws -> [UInt8] {
        let corrupt = { (detail: String) in ExtractionError.corruptZip(entry: entry.path, detail: detail) }
        if entry.flags & 1 != 0 {
            throw ExtractionError.unsupportedZipEntry(entry: entry.path, detail: "it is encrypted")
        }
        let reader = ByteReader(data)
        let start = try Self.dataStart(reader, entry: entry)
        guard start <= data.count, entry.compressedSize <= data.count - start else {
            throw corrupt("its data runs past the end of the file")
        }
        let compressed = data[(data.startIndex + start)..<(data.startIndex + start + entry.compressedSize)]
        var output: [UInt8] = []
        output.reserveCapacity(min(entry.uncompressedSize, 1 << 24, context.limits.maxExpandedBytes))
        let checksum: UInt32
        switch entry.method {
        case 0:
            try context.charge(compressed.count, part: entry.path)
            output.append(contentsOf: compressed)
            checksum = compressed.crc32(checksum: 0)
        case 8:
            do {
                checksum = try Data.decompress(
                    size: Int64(compressed.count), bufferSize: 1 << 16, skipCRC32: false,
                    provider: { position, size in
                        let from = compressed.startIndex + Int(position)
                        guard from < compressed.endIndex else { throw corrupt("the compressed data ends too early") }
                        var chunk = Data(compressed[from..<min(from + size, compressed.endIndex)])
                        if chunk.count < size { chunk.append(Data(count: size - chunk.count)) }
                        return chunk
                    },
                    consumer: { chunk in
                        try context.charge(chunk.count, part: entry.path)
                        output.append(contentsOf: chunk)
                    })
            } catch let error as ExtractionError {
                throw error
            } catch {
                throw corrupt("the compressed data is damaged")
            }
        default:
            throw ExtractionError.unsupportedZipEntry(entry: entry.path, detail: "compression method \(entry.method)")
        }
        guard output.count == entry.uncompressedSize else {
            throw corrupt("it expands to \(output.count) bytes, not the \(entry.uncompressedSize) its header declares")
        }
        guard checksum == entry.crc32 else { throw corrupt("checksum mismatch") }
        return output
    }

    // MARK: - Directory

    private struct EndRecord {
        let entryCount: Int
        let directorySize: Int
        let directoryOffset: Int
    }

    private static let endSignature: UInt32 = 0x0605_4B50
    private static let zip64EndSignature: UInt32 = 0x0606_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    private static let directorySignature: UInt32 = 0x0201_4B50
    private static let localSignature: UInt32 = 0x0403_4B50

    /// Finds the end-of-central-directory record in the last 64 KiB (its comment can be that long).
    private static func endOfCentralDirectory(_ reader: ByteReader) throws -> EndRecord {
        let count = reader.count
        guard count >= 22 else { throw ExtractionError.notZip(detail: "too short") }
        if count >= 4, reader.uint32(at: 0) != localSignature, reader.uint32(at: 0) != endSignature {
            throw ExtractionError.notZip(detail: "no ZIP signature at the start")
        }
        let lowest = max(0, count - 22 - 0xFFFF)
        var position = count - 22
        while position >= lowest {
            if reader.uint32(at: position) == endSignature,
               position + 22 + Int(reader.uint16(at: position + 20)) <= count {
                return try endRecord(reader, at: position)
            }
            position -= 1
        }
        throw ExtractionError.notZip(detail: "no end of central directory record; the file may be truncated")
    }

    private static func endRecord(_ reader: ByteReader, at position: Int) throws -> EndRecord {
        var entryCount = UInt64(reader.uint16(at: position + 10))
        var size = UInt64(reader.uint32(at: position + 12))
        var offset = UInt64(reader.uint32(at: position + 16))
        let needsZIP64 = entryCount == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF
        if needsZIP64, position >= 20, reader.uint32(at: position - 20) == zip64LocatorSignature {
            let recordOffset = reader.uint64(at: position - 12)
            guard recordOffset <= UInt64(max(0, reader.count - 56)),
                  reader.uint32(at: Int(recordOffset)) == zip64EndSignature else {
                throw ExtractionError.corruptZip(entry: nil, detail: "the ZIP64 end record is missing")
            }
            let record = Int(recordOffset)
            entryCount = reader.uint64(at: record + 32)
            size = reader.uint64(at: record + 40)
            offset = reader.uint64(at: record + 48)
        }
        let limit = UInt64(reader.count)
        guard entryCount <= limit, size <= limit, offset <= limit else {
            throw ExtractionError.corruptZip(entry: nil, detail: "the central directory lies outside the file")
        }
        return EndRecord(entryCount: Int(entryCount), directorySize: Int(size), directoryOffset: Int(offset))
    }

    /// The directory entry at `offset`, and the offset of the next one.
    private static func directoryEntry(_ reader: ByteReader, at offset: Int) throws -> (Entry, Int) {
        guard offset <= reader.count - 46, reader.uint32(at: offset) == directorySignature else {
            throw ExtractionError.corruptZip(entry: nil, detail: "a central directory entry is damaged")
        }
        let nameLength = Int(reader.uint16(at: offset + 28))
        let extraLength = Int(reader.uint16(at: offset + 30))
        let commentLength = Int(reader.uint16(at: offset + 32))
        let next = offset + 46 + nameLength + extraLength + commentLength
        guard next <= reader.count else {
            throw ExtractionError.corruptZip(entry: nil, detail: "a central directory entry runs past the end of the file")
        }
        let path = String(decoding: reader.bytes(offset + 46, nameLength), as: UTF8.self)
        var compressed = UInt64(reader.uint32(at: offset + 20))
        var uncompressed = UInt64(reader.uint32(at: offset + 24))
        var localOffset = UInt64(reader.uint32(at: offset + 42))
        // ZIP64 extended information: the 64-bit values of the fields saturated in the record, in this order.
        var extra = offset + 46 + nameLength
        let extraEnd = extra + extraLength
        while extra + 4 <= extraEnd {
            let id = reader.uint16(at: extra)
            let length = Int(reader.uint16(at: extra + 2))
            var field = extra + 4
            let fieldEnd = min(field + length, extraEnd)
            if id == 0x0001 {
                func take(_ value: inout UInt64) {
                    guard value == 0xFFFF_FFFF, field + 8 <= fieldEnd else { return }
                    value = reader.uint64(at: field)
                    field += 8
                }
                take(&uncompressed)
                take(&compressed)
                take(&localOffset)
            }
            extra += 4 + length
        }
        let limit = UInt64(Int.max / 2)
        guard compressed <= UInt64(reader.count), uncompressed <= limit, localOffset <= UInt64(reader.count) else {
            throw ExtractionError.corruptZip(entry: path, detail: "its sizes or offset are out of range")
        }
        let entry = Entry(
            path: path, method: reader.uint16(at: offset + 10), flags: reader.uint16(at: offset + 8),
            crc32: reader.uint32(at: offset + 16), compressedSize: Int(compressed),
            uncompressedSize: Int(uncompressed), localHeaderOffset: Int(localOffset))
        return (entry, next)
    }

    /// Where `entry`'s data starts, after its local header.
    private static func dataStart(_ reader: ByteReader, entry: Entry) throws -> Int {
        let offset = entry.localHeaderOffset
        guard offset <= reader.count - 30, reader.uint32(at: offset) == localSignature else {
            throw ExtractionError.corruptZip(entry: entry.path, detail: "its local header is missing")
        }
        return offset + 30 + Int(reader.uint16(at: offset + 26)) + Int(reader.uint16(at: offset + 28))
    }
}

/// Little-endian reads from bytes; every caller checks its bounds first.
private struct ByteReader {
    let storage: Data
    init(_ data: Data) { storage = data }

    var count: Int { storage.count }

    func uint16(at offset: Int) -> UInt16 {
        guard offset >= 0, offset + 2 <= count else { return 0 }
        let base = storage.startIndex + offset
        return UInt16(storage[base]) | UInt16(storage[base + 1]) << 8
    }

    func uint32(at offset: Int) -> UInt32 {
        UInt32(uint16(at: offset)) | UInt32(uint16(at: offset + 2)) << 16
    }

    func uint64(at offset: Int) -> UInt64 {
        UInt64(uint32(at: offset)) | UInt64(uint32(at: offset + 4)) << 32
    }

    func bytes(_ offset: Int, _ length: Int) -> Data {
        storage[(storage.startIndex + offset)..<(storage.startIndex + offset + length)]
    }
}
