/// The Parquet files the library writes (an electorate, a simulation's results.parquet) read back with Apache Arrow's C++
/// Parquet reader through ParquetSharp: the reader pyarrow, pandas and the DuckDB-compatible tools build on, so a file that
/// reads here with the right names, logical types, row count and values reads the same there. The library's own tests read
/// these files with Parquet.Net; this is a second, independent implementation of the format.
module Workbench.Tests.Tables.ArrowReaderTests

open System
open System.IO
open Expecto
open Apache.Arrow.Types
open ParquetSharp
open Workbench.Electorate
open Workbench.Experiments
open Workbench.Tables

/// The physical type and logical type the writer gives each storage type (docs/electorate.md, "Parquet format"):
/// (physical, Some (bit width, signed) for an integer logical type, whether the logical type is STRING).
let private expectedType (t: Type) : PhysicalType * (int * bool) option * bool =
    if t = typeof<string> then PhysicalType.ByteArray, None, true
    elif t = typeof<int> then PhysicalType.Int32, None, false
    elif t = typeof<int64> then PhysicalType.Int64, None, false
    elif t = typeof<int16> then PhysicalType.Int32, Some(16, true), false
    elif t = typeof<sbyte> then PhysicalType.Int32, Some(8, true), false
    elif t = typeof<byte> then PhysicalType.Int32, Some(8, false), false
    elif t = typeof<float32> || t = typeof<Half> then PhysicalType.Float, None, false
    elif t = typeof<float> then PhysicalType.Double, None, false
    else failwithf "no expected Parquet type for %s" t.Name

/// Every row group's values of column j, read with the logical reader of type 'T and concatenated.
let private readAll<'T> (reader: ParquetFileReader) (j: int) : 'T[] =
    [| for g in 0 .. reader.FileMetaData.NumRowGroups - 1 do
           use rg = reader.RowGroup g
           use col = rg.Column j
           use logical = col.LogicalReader<'T>()
           yield! logical.ReadAll(int rg.MetaData.NumRows) |]

/// Column j read with the .NET type its logical type maps to, as an array of that type.
let private readColumn (reader: ParquetFileReader) (j: int) (storage: Type) : Array =
    if storage = typeof<string> then readAll<string> reader j
    elif storage = typeof<int> then readAll<int> reader j
    elif storage = typeof<int64> then readAll<int64> reader j
    elif storage = typeof<int16> then readAll<int16> reader j
    elif storage = typeof<sbyte> then readAll<sbyte> reader j
    elif storage = typeof<byte> then readAll<byte> reader j
    elif storage = typeof<float32> || storage = typeof<Half> then readAll<float32> reader j
    elif storage = typeof<float> then readAll<float> reader j
    else failwithf "no reader for %s" storage.Name

/// The in-memory values as the file should hold them (half precision is written as the same value in single precision).
let private asWritten (values: Array) : Array =
    match values with
    | :? (Half[]) as h -> h |> Array.map float32 :> Array
    | v -> v

/// Values compared by their bits for floating point (so negative zero and NaN payloads count), by equality otherwise.
let private sameValues (name: string) (actual: Array) (expected: Array) =
    match actual, expected with
    | (:? (float32[]) as a), (:? (float32[]) as e) ->
        Expect.sequenceEqual (a |> Array.map BitConverter.SingleToInt32Bits) (e |> Array.map BitConverter.SingleToInt32Bits) $"{name}: every value, bit for bit"
    | (:? (float[]) as a), (:? (float[]) as e) ->
        Expect.sequenceEqual (a |> Array.map BitConverter.DoubleToInt64Bits) (e |> Array.map BitConverter.DoubleToInt64Bits) $"{name}: every value, bit for bit"
    | a, e ->
        Expect.equal (a.GetType()) (e.GetType()) $"{name}: element type"
        Expect.sequenceEqual (Seq.cast<obj> a) (Seq.cast<obj> e) $"{name}: every value"

/// Checks the file against the table it was written from: column count, names, physical and logical types, row count and values.
let private checkFile (path: string) (table: ColumnTable) =
    use reader = new ParquetFileReader(path)
    let md = reader.FileMetaData
    Expect.equal md.NumColumns table.Columns.Count "column count"
    Expect.equal md.NumRows (int64 table.RowCount) "row count"
    let rowsInGroups = [ for g in 0 .. md.NumRowGroups - 1 -> (use rg = reader.RowGroup g in rg.MetaData.NumRows) ] |> List.sum
    Expect.equal rowsInGroups (int64 table.RowCount) "the row groups hold every row"
    for j in 0 .. table.Columns.Count - 1 do
        let c = table.Columns[j]
        let descr = md.Schema.Column j
        Expect.equal descr.Name c.Name $"column {j}'s name"
        let physical, intType, isString = expectedType c.Type
        Expect.equal descr.PhysicalType physical $"{c.Name}: physical type"
        Expect.equal descr.MaxDefinitionLevel 0s $"{c.Name}: required (no nulls)"
        match descr.LogicalType with
        | :? IntLogicalType as it ->
            Expect.equal (Some(it.BitWidth, it.IsSigned)) intType $"{c.Name}: integer logical type INTEGER({it.BitWidth}, {it.IsSigned})"
        | :? StringLogicalType -> Expect.isTrue isString $"{c.Name}: STRING logical type only on string columns"
        | :? NoneLogicalType -> Expect.isTrue (intType.IsNone && not isString) $"{c.Name}: no logical type only on plain int32/int64/float/double columns"
        | other -> failtestf "%s: unexpected logical type %O" c.Name other
        sameValues c.Name (readColumn reader j c.Type) (asWritten c.Values)

/// The Arrow type each storage type is written as (what the stored Arrow schema says and pyarrow shows).
let private expectedArrowType (t: Type) : ArrowTypeId =
    if t = typeof<string> then ArrowTypeId.String
    elif t = typeof<int> then ArrowTypeId.Int32
    elif t = typeof<int64> then ArrowTypeId.Int64
    elif t = typeof<int16> then ArrowTypeId.Int16
    elif t = typeof<sbyte> then ArrowTypeId.Int8
    elif t = typeof<byte> then ArrowTypeId.UInt8
    elif t = typeof<float32> || t = typeof<Half> then ArrowTypeId.Float
    elif t = typeof<float> then ArrowTypeId.Double
    else failwithf "no expected Arrow type for %s" t.Name

/// The Arrow type a codebook's "type" names: a second, independent source of the expected type of each column.
let private codebookArrowType (name: string) : ArrowTypeId =
    match name with
    | "string" -> ArrowTypeId.String
    | "int32" -> ArrowTypeId.Int32
    | "int64" -> ArrowTypeId.Int64
    | "int16" -> ArrowTypeId.Int16
    | "int8" -> ArrowTypeId.Int8
    | "uint8" -> ArrowTypeId.UInt8
    | "float32" -> ArrowTypeId.Float
    | "float64" -> ArrowTypeId.Double
    | other -> failwithf "the codebook names an unknown type %s" other

/// The Arrow schema Arrow C++'s Parquet reader gives the file (the schema pyarrow.parquet.read_schema returns).
let private arrowSchemaOf (path: string) : Apache.Arrow.Schema =
    use reader = new ParquetSharp.Arrow.FileReader(path)
    reader.Schema

/// The Arrow schema stored in the file under ARROW:schema, decoded with Apache.Arrow's IPC reader. Arrow C++ takes the field
/// metadata from it but its integer and floating-point types from the Parquet schema, so a wrong type stored here would not show
/// in the schema Arrow C++ gives: it is checked here, on the stored message itself.
let private storedSchemaOf (path: string) : Apache.Arrow.Schema =
    let encoded = (use pq = new ParquetFileReader(path) in pq.FileMetaData.KeyValueMetadata["ARROW:schema"])
    use reader = new Apache.Arrow.Ipc.ArrowStreamReader(new MemoryStream(Convert.FromBase64String encoded))
    reader.Schema

/// A field's metadata as (key, value) pairs in the order the reader gives them; none when it has none.
let private fieldMetadata (f: Apache.Arrow.Field) : (string * string) list =
    if isNull f.Metadata then [] else [ for kv in f.Metadata -> kv.Key, kv.Value ]

/// Checks the Arrow schema Arrow C++ reads from the file: one field per column, in order, with the column's name, the Arrow
/// type of its storage type and of its codebook type, non-nullable, and the codebook entry as the field's metadata; the file-level
/// codebook stays in the schema's metadata, and every row reads through the Arrow API.
let private checkArrowSchema (path: string) (table: ColumnTable) (codebook: ColumnInfo seq) =
    let codebook = Array.ofSeq codebook
    let schema = arrowSchemaOf path
    Expect.equal [ for f in schema.FieldsList -> f.Name ] [ for c in table.Columns -> c.Name ] "the fields are the columns, in order"
    Expect.equal [ for c in codebook -> c.Name ] [ for c in table.Columns -> c.Name ] "the codebook has one entry per column, in order"
    for j in 0 .. table.Columns.Count - 1 do
        let c, entry, f = table.Columns[j], codebook[j], schema.GetFieldByIndex j
        Expect.equal f.DataType.TypeId (expectedArrowType c.Type) $"{c.Name}: Arrow type of its storage type {c.Type.Name}"
        Expect.equal f.DataType.TypeId (codebookArrowType entry.Type) $"{c.Name}: Arrow type of its codebook type {entry.Type}"
        Expect.isFalse f.IsNullable $"{c.Name}: not nullable (written REQUIRED)"
        Expect.equal (fieldMetadata f) [ for kv in entry.ArrowMetadata() -> kv.Key, kv.Value ] $"{c.Name}: the field metadata is its codebook entry"
        Expect.equal (fieldMetadata f |> List.find (fun (k, _) -> k = "description") |> snd) entry.Meaning $"{c.Name}: description is the codebook's meaning"
    Expect.isTrue (schema.HasMetadata && schema.Metadata.ContainsKey ElectorateExport.CodebookKey) "the file-level codebook is in the schema's metadata"
    let stored = storedSchemaOf path
    Expect.equal [ for f in stored.FieldsList -> f.Name, f.DataType.TypeId, f.IsNullable, fieldMetadata f ] [ for f in schema.FieldsList -> f.Name, f.DataType.TypeId, f.IsNullable, fieldMetadata f ]
        "the stored schema has the names, types, nullability and field metadata Arrow C++ gives"
    use reader = new ParquetSharp.Arrow.FileReader(path)
    use batches = reader.GetRecordBatchReader()
    let mutable rows = 0L
    let mutable batch = batches.ReadNextRecordBatchAsync().AsTask().Result
    while not (isNull batch) do
        Expect.equal [ for f in batch.Schema.FieldsList -> f.DataType.TypeId ] [ for c in table.Columns -> expectedArrowType c.Type ] "each batch has the schema's types"
        rows <- rows + int64 batch.Length
        batch.Dispose()
        batch <- batches.ReadNextRecordBatchAsync().AsTask().Result
    Expect.equal rows (int64 table.RowCount) "every row reads through the Arrow API"

[<Tests>]
let tests =
    testList "Tables.Arrow C++ reader" [
        test "an electorate's Parquet file reads in Apache Arrow's C++ reader with every name, logical type and value the library holds" {
            let e = Generator.Generate(ElectorateSpec.Preset "classroom", 20000, 4UL)
            let path = Path.Combine(Path.GetTempPath(), $"workbench-arrow-electorate-{Guid.NewGuid():N}.parquet")
            try
                ElectorateExport.WriteParquet(e, path, Nullable 2)
                let table = ElectorateExport.Slice(e, 0, e.VoterCount)
                Expect.equal table.RowCount 20000 "20,000 voters"
                // The kinds of column the file has: the test is only as strong as the types it meets.
                let types = table.Columns |> Seq.map (fun c -> c.Type) |> Array.ofSeq
                for t in [ typeof<byte>; typeof<sbyte>; typeof<int16>; typeof<Half> ] do
                    Expect.contains types t $"the electorate has a {t.Name} column"
                checkFile path table
                // A few columns against the electorate's own arrays, not only against the library's table of them.
                use reader = new ParquetFileReader(path)
                let index name = table.Columns |> Seq.findIndex (fun c -> c.Name = name)
                Expect.sequenceEqual (readAll<byte> reader (index "age")) e.Age "age"
                Expect.sequenceEqual (readAll<byte> reader (index "employment")) e.Employment "employment"
                Expect.sequenceEqual (readAll<sbyte> reader (index "sincere_vote")) e.SincereVote "sincere_vote"
                let k = e.Spec.IssueCount
                let issue0 = Array.init e.VoterCount (fun i -> float32 e.IssuePosition[i * k])
                Expect.sequenceEqual (readAll<float32> reader (index "issue0_position")) issue0 "issue0_position, the half-precision values"
                Expect.isTrue (reader.FileMetaData.KeyValueMetadata.ContainsKey ElectorateExport.CodebookKey) "the codebook is in the file metadata"
            finally
                File.Delete path
        }
        test "an electorate's Parquet file gives Arrow C++ each column's Arrow type and its codebook entry as the field's metadata" {
            let e = Generator.Generate(ElectorateSpec.Preset "classroom", 20000, 4UL)
            let path = Path.Combine(Path.GetTempPath(), $"workbench-arrow-schema-electorate-{Guid.NewGuid():N}.parquet")
            try
                ElectorateExport.WriteParquet(e, path, Nullable 2)
                let table = ElectorateExport.Slice(e, 0, e.VoterCount)
                checkArrowSchema path table (e.Codebook())
                let schema = arrowSchemaOf path
                let meta name = fieldMetadata (schema.GetFieldByName name) |> Map.ofList
                Expect.equal (Map.find "unit" (meta "age")) "years" "age's unit"
                Expect.equal (Map.find "description" (meta "education")) "0 low, 1 middle, 2 high." "education's levels are in its description"
                Expect.equal (Map.find "special_category" (meta "health")) "true" "health is a GDPR Art. 9 special category"
                Expect.equal (Map.find "special_category" (meta "age")) "false" "age is not"
                Expect.equal schema.Metadata[ElectorateExport.CodebookKey] (ElectorateExport.CodebookJson e) "the file-level codebook JSON is kept as it was"
            finally
                File.Delete path
        }
        test "a simulation's results.parquet reads in Apache Arrow's C++ reader with the results' names, STRING and integer types and values" {
            let result = Simulation.Run(Scenario.Builtin("classroom").With(replicates = 2, voters = 8000), Nullable 2)
            let dir = Path.Combine(Path.GetTempPath(), $"workbench-arrow-results-{Guid.NewGuid():N}")
            try
                result.Write dir
                let table = result.ToTable()
                Expect.isGreaterThan table.RowCount 0 "rows"
                Expect.equal [ for c in table.Columns -> c.Name ]
                    [ "scenario"; "arm"; "replicate"; "seed"; "system"; "party"; "votes"; "share"; "seats"; "turnout"; "spend"; "contacts" ] "the results' columns"
                let path = Path.Combine(dir, "results.parquet")
                checkFile path table
                use reader = new ParquetFileReader(path)
                Expect.sequenceEqual (readAll<string> reader 5) [| for r in result.Rows -> r.Party |] "party, from the result rows"
                Expect.sequenceEqual (readAll<int64> reader 6) [| for r in result.Rows -> r.Votes |] "votes, from the result rows"
            finally
                Directory.Delete(dir, true)
        }
        test "a simulation's results.parquet gives Arrow C++ each column's Arrow type and its codebook entry as the field's metadata" {
            let result = Simulation.Run(Scenario.Builtin("classroom").With(replicates = 2, voters = 8000), Nullable 2)
            let dir = Path.Combine(Path.GetTempPath(), $"workbench-arrow-schema-results-{Guid.NewGuid():N}")
            try
                result.Write dir
                let table = result.ToTable()
                let path = Path.Combine(dir, "results.parquet")
                checkArrowSchema path table SimulationResult.Codebook
                let schema = arrowSchemaOf path
                Expect.equal schema.Metadata[ElectorateExport.CodebookKey] (ElectorateExport.CodebookJson SimulationResult.Codebook) "the file-level codebook JSON"
                Expect.equal (fieldMetadata (schema.GetFieldByName "share") |> Map.ofList |> Map.find "unit") "fraction" "share's unit"
                // The codebook's stated ranges hold in the rows it describes.
                Expect.equal (result.Rows |> Seq.map (fun r -> r.Replicate) |> Seq.distinct |> Seq.sort |> List.ofSeq) [ 0; 1 ] "replicate 0..replicates−1"
                Expect.isTrue (result.Rows |> Seq.forall (fun r -> r.Share >= 0.0 && r.Share <= 1.0 && r.Turnout >= 0.0 && r.Turnout <= 1.0 && r.Seed >= 0L)) "share and turnout in 0..1, seeds non-negative"
            finally
                Directory.Delete(dir, true)
        }
        test "a table written without a codebook gives Arrow C++ a valid schema: every column's Arrow type, no field metadata" {
            let n = 300
            let table =
                ColumnTable([| TableColumn("s", Array.init n (fun i -> $"v{i % 7}"))
                               TableColumn("i", Array.init n id)
                               TableColumn("l", Array.init n int64)
                               TableColumn("i16", Array.init n int16)
                               TableColumn("i8", Array.init n (fun i -> sbyte (i % 100 - 50)))
                               TableColumn("u8", Array.init n (fun i -> byte (i % 256)))
                               TableColumn("f", Array.init n float32)
                               TableColumn("d", Array.init n float)
                               TableColumn("h", Array.init n (fun i -> Half.op_Explicit (float32 i / 8.0f))) |])
            let path = Path.Combine(Path.GetTempPath(), $"workbench-arrow-schema-plain-{Guid.NewGuid():N}.parquet")
            try
                table.WriteParquet path
                let hasSchema = (use pq = new ParquetFileReader(path) in pq.FileMetaData.KeyValueMetadata.ContainsKey "ARROW:schema")
                Expect.isTrue hasSchema "the file carries an Arrow schema"
                let schema = arrowSchemaOf path
                Expect.equal [ for f in schema.FieldsList -> f.Name, f.DataType.TypeId, f.IsNullable ] [ for c in table.Columns -> c.Name, expectedArrowType c.Type, false ] "names, Arrow types, not nullable"
                for f in schema.FieldsList do Expect.isEmpty (fieldMetadata f) $"{f.Name}: no field metadata"
                let stored = storedSchemaOf path
                Expect.equal [ for f in stored.FieldsList -> f.Name, f.DataType.TypeId, f.IsNullable, f.HasMetadata ] [ for c in table.Columns -> c.Name, expectedArrowType c.Type, false, false ] "the stored schema: names, Arrow types, not nullable, no metadata"
                Expect.isFalse stored.HasMetadata "no file metadata, so none on the stored schema"
                checkFile path table
            finally
                File.Delete path
        }
    ]
