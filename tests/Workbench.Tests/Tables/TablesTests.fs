module Workbench.Tests.Tables.TablesTests

open System
open System.IO
open Expecto
open Workbench.Tables

let private sample () =
    ColumnTable([| TableColumn("name", [| "a"; "b,c"; "say \"hi\""; "two\nlines" |])
                   TableColumn("n", [| 1; -2; 3; Int32.MaxValue |])
                   TableColumn("big", [| 0L; Int64.MinValue; 5L; Int64.MaxValue |])
                   TableColumn("x", [| 0.1; -0.0; 1e300; Math.PI |]) |])

[<Tests>]
let tests =
    testList "Tables.ColumnTable" [
        test "Parquet round trip keeps every name, type and value bit for bit" {
            let t = sample ()
            use ms = new MemoryStream()
            t.WriteParquetAsync(ms).GetAwaiter().GetResult()
            ms.Position <- 0L
            let back = ColumnTable.ReadParquetAsync(ms).GetAwaiter().GetResult()
            Expect.equal (back.Columns |> Seq.map (fun c -> c.Name, c.Type) |> List.ofSeq) (t.Columns |> Seq.map (fun c -> c.Name, c.Type) |> List.ofSeq) "schema"
            Expect.sequenceEqual (back["name"].Values :?> string[]) (t["name"].Values :?> string[]) "strings"
            Expect.sequenceEqual (back["n"].Values :?> int[]) (t["n"].Values :?> int[]) "ints"
            Expect.sequenceEqual (back["big"].Values :?> int64[]) (t["big"].Values :?> int64[]) "longs"
            let bits (c: TableColumn) = (c.Values :?> float[]) |> Array.map BitConverter.DoubleToInt64Bits
            Expect.sequenceEqual (bits back["x"]) (bits t["x"]) "doubles, negative zero included"
        }
        test "CSV: header, RFC 4180 quoting of commas, quotes and line breaks, round-trip doubles" {
            let csv = (sample ()).ToCsv()
            let expected =
                "name,n,big,x\n" +
                "a,1,0,0.1\n" +
                "\"b,c\",-2,-9223372036854775808,-0\n" +
                "\"say \"\"hi\"\"\",3,5,1E+300\n" +
                "\"two\nlines\",2147483647,9223372036854775807,3.141592653589793\n"
            Expect.equal csv expected "csv"
            Expect.equal (CsvText.Escape "cr\rhere") "\"cr\rhere\"" "a carriage return is quoted too"
        }
        test "Reorder and Concat keep columns aligned; mismatched tables and columns are refused" {
            let t = sample ()
            let r = t.Reorder [| 3; 0 |]
            Expect.equal (r["n"].Values :?> int[]) [| Int32.MaxValue; 1 |] "reordered"
            let c = ColumnTable.Concat [| t; r |]
            Expect.equal c.RowCount 6 "rows"
            Expect.equal (c["name"].Values :?> string[]).[5] "a" "appended in order"
            let other = ColumnTable([| TableColumn("n", [| 1 |]) |])
            Expect.throwsT<InvalidDataException> (fun () -> ColumnTable.Concat [| t; other |] |> ignore) "different columns"
            Expect.throwsT<ArgumentException> (fun () -> ColumnTable([| TableColumn("a", [| 1 |]); TableColumn("b", [| 1; 2 |]) |]) |> ignore) "ragged"
            Expect.throwsT<ArgumentException> (fun () -> ColumnTable([| TableColumn("a", [| 1 |]); TableColumn("a", [| 2 |]) |]) |> ignore) "duplicate name"
            Expect.throwsT<ArgumentException> (fun () -> ColumnTable([| TableColumn("a", [| 1.0m |]) |]) |> ignore) "unsupported type"
        }
    ]

/// Every supported type, with runs (RLE), few distinct values (dictionary) and, in "many", more than 65,536 distinct values (PLAIN).
let private wide (n: int) (offset: int) =
    ColumnTable([| TableColumn("s", Array.init n (fun i -> if i % 7 = 0 then "" else sprintf "v%d" ((i + offset) % 13)))
                   TableColumn("i", Array.init n (fun i -> (i + offset) / 100 - 5))
                   TableColumn("many", Array.init n (fun i -> (i + offset) * 7919))
                   TableColumn("l", Array.init n (fun i -> int64 (i + offset) * 1_000_000_007L - 3L))
                   TableColumn("i16", Array.init n (fun i -> int16 ((i + offset) % 40000 - 20000)))
                   TableColumn("i8", Array.init n (fun i -> sbyte ((i + offset) % 256 - 128)))
                   TableColumn("u8", Array.init n (fun i -> byte ((i + offset) * 31 % 256)))
                   TableColumn("f", Array.init n (fun i -> if i % 1000 = 3 then -0.0f else float32 (i + offset) / 3.0f))
                   TableColumn("d", Array.init n (fun i -> if i = 1 then -0.0 elif i = 2 then nan else float ((i + offset) % 50) * 0.1))
                   TableColumn("h", Array.init n (fun i -> Half.op_Explicit (float32 ((i + offset) % 3000) / 7.0f))) |])

let private parquetOf (t: ColumnTable) (threads: int) (metadata: Collections.Generic.KeyValuePair<string, string>[]) =
    use ms = new MemoryStream()
    t.WriteParquet(ms, metadata, threads)
    ms.ToArray()

/// What a table reads back as: Half columns as the float32 values they widen to, every other column as written.
let private expectedBack (t: ColumnTable) =
    t.Columns |> Seq.map (fun c ->
        match c.Values with
        | :? (Half[]) as h -> TableColumn(c.Name, h |> Array.map float32)
        | _ -> c) |> Array.ofSeq

let private sameValues (back: ColumnTable) (expected: TableColumn[]) =
    Expect.equal (back.Columns |> Seq.map (fun c -> c.Name, c.Type) |> List.ofSeq) (expected |> Seq.map (fun c -> c.Name, c.Type) |> List.ofSeq) "names and types"
    for e in expected do
        let a = back[e.Name].Values
        match e.Values with
        | :? (float32[]) as f -> Expect.sequenceEqual ((a :?> float32[]) |> Array.map BitConverter.SingleToInt32Bits) (f |> Array.map BitConverter.SingleToInt32Bits) e.Name
        | :? (float[]) as d -> Expect.sequenceEqual ((a :?> float[]) |> Array.map BitConverter.DoubleToInt64Bits) (d |> Array.map BitConverter.DoubleToInt64Bits) e.Name
        | v -> Expect.sequenceEqual (Seq.cast<obj> a) (Seq.cast<obj> v) e.Name

[<Tests>]
let parquet =
    testList "Tables.Parquet" [
        test "every type round-trips through Parquet.Net bit for bit (Half as its float32 value), dictionary and PLAIN chunks alike" {
            let t = wide 100_000 0
            let back = ColumnTable.ReadParquetAsync(new MemoryStream(parquetOf t 2 [||])).GetAwaiter().GetResult()
            sameValues back (expectedBack t)
        }
        test "logical types: int16, int8 and uint8 are INT32 with INTEGER(16/8, signed/unsigned); Half is FLOAT; the file metadata is kept in order" {
            let t = wide 1000 0
            let meta = [| Collections.Generic.KeyValuePair.Create("b.first", "1"); Collections.Generic.KeyValuePair.Create("a.second", "zwei ✓") |]
            use ms = new MemoryStream(parquetOf t 1 meta)
            let reader = Parquet.ParquetReader.CreateAsync(ms).GetAwaiter().GetResult()
            try
                let fields = reader.Schema.GetDataFields() |> Array.map (fun f -> f.Name, f.ClrType) |> Map.ofArray
                Expect.equal fields["i16"] typeof<int16> "int16"
                Expect.equal fields["i8"] typeof<sbyte> "int8"
                Expect.equal fields["u8"] typeof<byte> "uint8"
                Expect.equal fields["h"] typeof<float32> "Half as float32"
                Expect.contains [ typeof<string>; typeof<ReadOnlyMemory<char>> ] fields["s"] "string"
                Expect.sequenceEqual (reader.CustomMetadata |> Seq.map (fun kv -> kv.Key) |> List.ofSeq) [ "b.first"; "a.second"; "ARROW:schema" ] "the metadata in order, then the Arrow schema"
                Expect.equal reader.CustomMetadata["b.first"] "1" "first value"
                Expect.equal reader.CustomMetadata["a.second"] "zwei ✓" "second value"
                // The stored Arrow schema repeats the file metadata as its own, in order: Arrow's reader shows the schema's, not the file's.
                use arrow = new Apache.Arrow.Ipc.ArrowStreamReader(new MemoryStream(Convert.FromBase64String reader.CustomMetadata["ARROW:schema"]))
                Expect.equal [ for kv in arrow.Schema.Metadata -> kv.Key, kv.Value ] [ "b.first", "1"; "a.second", "zwei ✓" ] "the stored schema's metadata"
            finally reader.DisposeAsync().AsTask().Wait()
        }
        test "a negative int8 is stored sign-extended in its INT32 (-1, not 255)" {
            // A reader that ignores the INTEGER(8, signed) annotation (or checks statistics) sees the physical INT32; an sbyte
            // array encoded as bytes would put 255 there although an annotation-aware reader would still show -1.
            let t = ColumnTable([| TableColumn("i8", [| -1y |]) |])
            let bytes = parquetOf t 1 [||]
            let dictionaryPage = [| 0xFFuy; 0xFFuy; 0xFFuy; 0xFFuy |]
            let contains (hay: byte[]) (needle: byte[]) = Seq.windowed needle.Length hay |> Seq.exists (fun w -> w = needle)
            Expect.isTrue (contains bytes dictionaryPage) "the dictionary holds -1 as four 0xFF bytes"
            Expect.isFalse (contains bytes [| 0xFFuy; 0uy; 0uy; 0uy |]) "not 255"
        }
        test "ARROW:schema is one IPC Schema message (continuation, length, flatbuffer, 8-byte padding, no end-of-stream) of the columns with their field metadata" {
            let t = wide 1000 0
            let fieldMeta =
                dict [ "u8", ([| Collections.Generic.KeyValuePair.Create("description", "a byte"); Collections.Generic.KeyValuePair.Create("unit", "code") |] :> Collections.Generic.IReadOnlyList<_>)
                       "s", ([| Collections.Generic.KeyValuePair.Create("levels", "v0 … v12 ✓") |] :> Collections.Generic.IReadOnlyList<_>) ]
            let write threads =
                use ms = new MemoryStream()
                t.WriteParquet(ms, null, threads, Collections.Generic.Dictionary(fieldMeta))
                ms.ToArray()
            let bytes = write 1
            Expect.isTrue (write 2 = bytes) "the same bytes with 2 threads"
            let reader = Parquet.ParquetReader.CreateAsync(new MemoryStream(bytes)).GetAwaiter().GetResult()
            let encoded = try reader.CustomMetadata["ARROW:schema"] finally reader.DisposeAsync().AsTask().Wait()
            let message = Convert.FromBase64String encoded
            Expect.equal (BitConverter.ToUInt32(message, 0)) 0xFFFFFFFFu "continuation marker"
            let length = BitConverter.ToInt32(message, 4)
            Expect.equal message.Length (8 + length) "the message is the marker, the length and the metadata, nothing after (no end-of-stream marker)"
            Expect.equal (message.Length % 8) 0 "padded to 8 bytes"
            use arrow = new Apache.Arrow.Ipc.ArrowStreamReader(new MemoryStream(message))
            let schema = arrow.Schema
            Expect.equal [ for f in schema.FieldsList -> f.Name ] [ for c in t.Columns -> c.Name ] "every column, in order"
            let types = [ for f in schema.FieldsList -> f.DataType.Name ]
            Expect.equal types [ "utf8"; "int32"; "int32"; "int64"; "int16"; "int8"; "uint8"; "float"; "double"; "float" ] "Arrow types (Half as float32)"
            Expect.isTrue (schema.FieldsList |> Seq.forall (fun f -> not f.IsNullable)) "not nullable"
            let meta (name: string) = let f = schema.GetFieldByName name in if f.HasMetadata then [ for kv in f.Metadata -> kv.Key, kv.Value ] else []
            Expect.equal (meta "u8") [ "description", "a byte"; "unit", "code" ] "u8's metadata, in order"
            Expect.equal (meta "s") [ "levels", "v0 … v12 ✓" ] "s's metadata (UTF-8)"
            Expect.isEmpty (meta "i") "a column without metadata has none"
            Expect.isFalse schema.HasMetadata "no file metadata given: the stored schema has none"
        }
        test "field metadata naming no column, a key given twice and a file metadata key ARROW:schema are refused with what is wrong" {
            let t = wide 10 0
            let kv (k: string) (v: string) = Collections.Generic.KeyValuePair.Create(k, v)
            let attempt (meta: Collections.Generic.KeyValuePair<string, string>[]) (fieldMeta: (string * Collections.Generic.KeyValuePair<string, string>[]) list) =
                let d = Collections.Generic.Dictionary<string, Collections.Generic.IReadOnlyList<Collections.Generic.KeyValuePair<string, string>>>()
                for name, entries in fieldMeta do d[name] <- entries
                use ms = new MemoryStream()
                Expect.throwsT<ArgumentException> (fun () -> t.WriteParquet(ms, meta, 1, d)) "refused"
                try t.WriteParquet(ms, meta, 1, d); "" with :? ArgumentException as e -> e.Message
            Expect.stringContains (attempt [||] [ "nope", [| kv "unit" "x" |] ]) "'nope'" "names the unknown column"
            Expect.stringContains (attempt [||] [ "u8", [| kv "unit" "x"; kv "unit" "y" |] ]) "'unit' twice" "names the repeated key"
            Expect.stringContains (attempt [| kv "ARROW:schema" "x" |] []) "ARROW:schema" "names the reserved key"
            Expect.stringContains (attempt [| kv "k" "1"; kv "k" "2" |] []) "'k' twice" "names the repeated file metadata key"
        }
        test "the bytes do not depend on the thread count" {
            let t = wide 70_000 5
            let one = parquetOf t 1 [||]
            for threads in [ 2; 3; 8 ] do Expect.isTrue (parquetOf t threads [||] = one) (sprintf "%d threads" threads)
        }
        test "the streaming writer writes one row group per table and reads back as their concatenation" {
            let parts = [| wide 30_000 0; wide 1 30_000; wide 69_999 30_001 |]
            use ms = new MemoryStream()
            do
                use w = new ParquetTableWriter(ms, parts[0].Schema, null, 2)
                for p in parts do w.WriteRowGroup p
                Expect.equal w.RowCount 100_000L "rows so far"
                w.Finish()
            let bytes = ms.ToArray()
            let reader = Parquet.ParquetReader.CreateAsync(new MemoryStream(bytes)).GetAwaiter().GetResult()
            Expect.equal reader.RowGroupCount 3 "row groups"
            reader.DisposeAsync().AsTask().Wait()
            let back = ColumnTable.ReadParquetAsync(new MemoryStream(bytes)).GetAwaiter().GetResult()
            sameValues back (expectedBack (ColumnTable.Concat parts))
        }
        test "a table of other columns than the writer's is refused, naming both" {
            use ms = new MemoryStream()
            use w = new ParquetTableWriter(ms, (wide 1 0).Schema)
            let ex = Expect.throwsC (fun () -> w.WriteRowGroup(ColumnTable([| TableColumn("s", [| 1 |]) |]))) id
            Expect.stringContains ex.Message "s:Int32" "names the table's columns"
            Expect.stringContains ex.Message "h:Half" "names the writer's columns"
        }
        test "dictionary at its limit: 65,536 distinct values are dictionary-encoded (16-bit indices), 65,537 are PLAIN; both read back" {
            for n in [ 65_536; 65_537 ] do
                let t = ColumnTable([| TableColumn("k", Array.init n (fun i -> i * 3)); TableColumn("x", Array.init n (fun i -> float32 i + 0.5f)) |])
                let bytes = parquetOf t 1 [||]
                let back = ColumnTable.ReadParquetAsync(new MemoryStream(bytes)).GetAwaiter().GetResult()
                sameValues back (expectedBack t)
                // PLAIN stores 4 bytes per value; dictionary 4 per distinct value plus 2 per index.
                let perValue = float bytes.Length / float (2 * n)
                if n = 65_536 then Expect.isGreaterThan perValue 5.5 "dictionary: about 6 bytes per value" else Expect.isLessThan perValue 4.5 "PLAIN: about 4 bytes per value"
        }
        test "an empty table writes and reads back with its columns" {
            let t = ColumnTable([| TableColumn("a", Array.empty<int>); TableColumn("b", Array.empty<string>) |])
            let back = ColumnTable.ReadParquetAsync(new MemoryStream(parquetOf t 1 [||])).GetAwaiter().GetResult()
            Expect.equal back.RowCount 0 "rows"
            Expect.equal (back.Columns |> Seq.map (fun c -> c.Name, c.Type) |> List.ofSeq) [ "a", typeof<int>; "b", typeof<string> ] "columns"
        }
        test "CSV of the narrow types: integers as integers, float and Half as round-trip float32" {
            let t = ColumnTable([| TableColumn("i8", [| -1y |]); TableColumn("u8", [| 255uy |]); TableColumn("i16", [| -300s |])
                                   TableColumn("f", [| 0.1f |]); TableColumn("h", [| Half.op_Explicit 0.1f |]) |])
            Expect.equal (t.ToCsv()) "i8,u8,i16,f,h\n-1,255,-300,0.1,0.099975586\n" "csv"
        }
    ]

/// The RLE/bit-packed hybrid by its definition: a run of at least 8 equal values found at a group boundary is an RLE run
/// (its length, then the value in ceil(bitWidth / 8) bytes); the values between are bit-packed groups of 8, each value's
/// bits set one at a time LSB first, a last partial group padded with zeros.
let private rleByDefinition (v: int[]) (bitWidth: int) =
    let out = ResizeArray<byte>()
    let varUInt (x: uint64) =
        let mutable x = x
        while x >= 0x80UL do
            out.Add(byte (x ||| 0x80UL))
            x <- x >>> 7
        out.Add(byte x)
    let packed first until =
        if until > first then
            let groups = (until - first + 7) / 8
            varUInt ((uint64 groups <<< 1) ||| 1UL)
            for g in 0 .. groups - 1 do
                let group = Array.zeroCreate<byte> bitWidth
                for k in 0 .. 7 do
                    let i = first + g * 8 + k
                    let x = if i < until then v.[i] else 0
                    for b in 0 .. bitWidth - 1 do
                        if (x >>> b) &&& 1 = 1 then
                            let bit = k * bitWidth + b
                            group.[bit / 8] <- group.[bit / 8] ||| (1uy <<< (bit % 8))
                out.AddRange group
    let n = v.Length
    let mutable i = 0
    let mutable packedStart = 0
    while i < n do
        let mutable run = 1
        while i + run < n && v.[i + run] = v.[i] do run <- run + 1
        if run >= 8 then
            packed packedStart i
            varUInt (uint64 run <<< 1)
            for b in 0 .. (bitWidth + 7) / 8 - 1 do out.Add(byte (v.[i] >>> (8 * b)))
            i <- i + run
            packedStart <- i
        else i <- min n (i + 8)
    packed packedStart n
    out.ToArray()

let private rle (v: int[]) (bitWidth: int) =
    use w = new ByteWriter(16)
    Rle.Encode(ReadOnlySpan<uint16>(Array.map uint16 v), bitWidth, w)
    w.ToArray()

/// Values below 2^bitWidth in stretches of equal values (runs of 1–40) and of distinct ones, so that RLE runs, packed groups
/// and partial last groups all occur.
let private indices (rnd: Random) (n: int) (bitWidth: int) =
    let v = ResizeArray<int>()
    while v.Count < n do
        let x = rnd.Next(1 <<< bitWidth)
        if rnd.Next 3 = 0 then for _ in 1 .. rnd.Next(1, 41) do v.Add x
        else for _ in 1 .. rnd.Next(1, 30) do v.Add(rnd.Next(1 <<< bitWidth))
    v.GetRange(0, n).ToArray()

[<Tests>]
let encoding =
    testList "Tables.Encoding" [
        test "RLE/bit-packed hybrid: the word-at-a-time packing equals the bit-by-bit definition for every bit width 1–16" {
            let rnd = Random(11)
            for bitWidth in 1 .. 16 do
                for n in [ 0; 1; 7; 8; 9; 15; 16; 17; 100; 4_099 ] do
                    let v = indices rnd n bitWidth
                    Expect.sequenceEqual (rle v bitWidth) (rleByDefinition v bitWidth) (sprintf "bit width %d, %d values" bitWidth n)
                // The largest value of the width in every position of a group, with runs between.
                let top = Array.init 64 (fun i -> if i % 9 = 0 then 0 else (1 <<< bitWidth) - 1)
                Expect.sequenceEqual (rle top bitWidth) (rleByDefinition top bitWidth) (sprintf "bit width %d, all bits set" bitWidth)
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> rle [| 1 |] 17 |> ignore) "bit widths above 16 are refused"
        }
        test "strided, coded and sliced sources write the bytes of a table of the same values, from any start row" {
            let n, stride = 40_000, 3
            let rnd = Random(5)
            let bytes = Array.init (n * stride) (fun i -> byte (if i % 7 = 0 then 200 else rnd.Next 6))
            let sbytes = Array.init n (fun i -> sbyte (rnd.Next(-3, 4)))
            let shorts = Array.init (n * stride) (fun _ -> int16 (rnd.Next(-700, 700)))
            let halves = Array.init (n * stride) (fun _ -> Half.op_Explicit (float32 (rnd.NextDouble() * 8.0 - 4.0)))
            let codes = Array.init (n * stride) (fun i -> byte (if i / 30 % 2 = 0 then 17 else rnd.Next 256))
            let table = Array.init 256 (fun b -> float32 b / 255.0f)
            let ints = Array.init n (fun i -> i / 3)
            for start, count in [ 0, n; 1, n - 1; 12_345, 20_000; n - 1, 1; 7, 0 ] do
                let pick (a: 'T[]) k = Array.init count (fun i -> a.[(start + i) * stride + k])
                let expected =
                    ColumnTable([| TableColumn("b", pick bytes 1); TableColumn("s", Array.sub sbytes start count); TableColumn("i16", pick shorts 2)
                                   TableColumn("h", pick halves 0); TableColumn("p", pick codes 2 |> Array.map (fun c -> table.[int c]))
                                   TableColumn("i", Array.sub ints start count) |])
                let sources =
                    [| ColumnSource.Strided("b", bytes, stride, 1); ColumnSource.Strided("s", sbytes, 1, 0); ColumnSource.Strided("i16", shorts, stride, 2)
                       ColumnSource.Strided("h", halves, stride, 0); ColumnSource.Coded("p", codes, stride, 2, table)
                       ColumnSource.Sliced("i", typeof<int>, Func<int, int, Array, Array>(fun s c _ -> Array.sub ints s c :> Array)) |]
                use ms = new MemoryStream()
                do
                    use w = new ParquetTableWriter(ms, expected.Schema, null, 2)
                    w.WriteRowGroup(sources, start, count)
                    w.Finish()
                Expect.isTrue (ms.ToArray() = parquetOf expected 1 [||]) (sprintf "rows %d, count %d" start count)
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> ColumnSource.Strided("b", bytes, stride, 1).Encode(n - 1, 2) |> ignore) "rows beyond the array are refused"
        }
    ]

[<Tests>]
let atomicFile =
    testList "Tables.AtomicFile" [
        test "contents of every length around the 4 KiB and 8 MiB block boundaries arrive byte for byte, whatever the sizes of the writes" {
            let dir = Directory.CreateTempSubdirectory("wb-atomic-")
            try
                let block = SequentialFileStream.BlockSize
                let rnd = Random(3)
                let path = Path.Combine(dir.FullName, "f.bin")
                for len in [ 0; 1; 4095; 4096; 4097; block - 1; block; block + 1; 3 * block + 4097 ] do
                    let data = Array.zeroCreate<byte> len
                    rnd.NextBytes data
                    AtomicFile.Write(path, fun s ->
                        let mutable at = 0
                        while at < len do
                            let k = min (len - at) (if rnd.Next 4 = 0 then 1 else rnd.Next(1, 3_000_000))
                            if k = 1 then s.WriteByte data.[at] else s.Write(data, at, k)
                            at <- at + k)
                    Expect.isTrue (File.ReadAllBytes path = data) (sprintf "%d bytes" len)
                Expect.equal (Directory.GetFiles dir.FullName |> Array.map Path.GetFileName) [| "f.bin" |] "no temporary file is left"
            finally dir.Delete true
        }
        test "a write that fails after several blocks keeps the old target and leaves no temporary file" {
            let dir = Directory.CreateTempSubdirectory("wb-atomic-")
            try
                let path = Path.Combine(dir.FullName, "f.bin")
                File.WriteAllText(path, "old")
                let big = Array.create (3 * SequentialFileStream.BlockSize + 5) 7uy
                Expect.throwsT<InvalidOperationException>
                    (fun () -> AtomicFile.Write(path, fun s -> s.Write(big, 0, big.Length); raise (InvalidOperationException "stop")))
                    "the writer's exception passes through"
                Expect.equal (File.ReadAllText path) "old" "the target is as it was"
                Expect.equal (Directory.GetFiles dir.FullName |> Array.map Path.GetFileName) [| "f.bin" |] "no temporary file is left"
            finally dir.Delete true
        }
    ]
