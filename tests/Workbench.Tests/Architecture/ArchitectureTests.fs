module Workbench.Tests.Architecture.ArchitectureTests

open System
open System.Collections.Generic
open Expecto
open Mono.Cecil

/// Every type a type definition mentions: base type, interfaces, fields, properties, method signatures, locals and
/// every type, method and field its IL refers to (generic arguments included), with nested types mapped to their
/// outermost declaring type.
let private referencedTypes (t: TypeDefinition) : seq<TypeReference> =
    let acc = List<TypeReference>()
    let rec add (r: TypeReference) =
        if not (isNull r) then
            match r with
            | :? GenericInstanceType as g ->
                add g.ElementType
                for a in g.GenericArguments do add a
            | :? TypeSpecification as s -> add s.ElementType
            | :? GenericParameter -> ()
            | _ -> acc.Add r
    let addMethod (m: MethodReference) =
        add m.DeclaringType; add m.ReturnType
        for p in m.Parameters do add p.ParameterType
        match m with
        | :? GenericInstanceMethod as g -> for a in g.GenericArguments do add a
        | _ -> ()
    let addAttributes (attrs: seq<CustomAttribute>) =
        for a in attrs do add a.AttributeType
    add t.BaseType
    addAttributes t.CustomAttributes
    for i in t.Interfaces do add i.InterfaceType
    for f in t.Fields do add f.FieldType; addAttributes f.CustomAttributes
    for p in t.Properties do add p.PropertyType; addAttributes p.CustomAttributes
    for m in t.Methods do
        addMethod m
        addAttributes m.CustomAttributes
        if m.HasBody then
            for v in m.Body.Variables do add v.VariableType
            for ins in m.Body.Instructions do
                match ins.Operand with
                | :? TypeReference as r -> add r
                | :? MethodReference as r -> addMethod r
                | :? FieldReference as r -> add r.DeclaringType; add r.FieldType
                | _ -> ()
    acc :> _

let rec private outermost (r: TypeReference) = if isNull r.DeclaringType then r else outermost r.DeclaringType

/// The module of a namespace below a root (Workbench.Campaigns.X → "Campaigns"; the root namespace itself → "(root)"),
/// or None for namespaces outside the root.
let private moduleOf (root: string) (ns: string) =
    if ns = root then Some "(root)"
    elif ns.StartsWith(root + ".", StringComparison.Ordinal) then Some(ns.Substring(root.Length + 1).Split('.').[0])
    else None

/// Module → module edges of an assembly, each with up to three example type pairs.
let moduleGraph (path: string) (root: string) =
    use asm = AssemblyDefinition.ReadAssembly(path)
    let edges = Dictionary<string * string, SortedSet<string>>()
    for t in asm.MainModule.GetTypes() do
        let src = outermost t
        match moduleOf root src.Namespace with
        | None -> ()
        | Some a ->
            for r in referencedTypes t do
                let r = outermost r
                match moduleOf root r.Namespace with
                | Some b when b <> a ->
                    match edges.TryGetValue((a, b)) with
                    | true, s -> s.Add(src.FullName + " → " + r.FullName) |> ignore
                    | _ -> edges[(a, b)] <- SortedSet([ src.FullName + " → " + r.FullName ], StringComparer.Ordinal)
                | _ -> ()
    edges |> Seq.map (fun kv -> kv.Key, List.ofSeq kv.Value) |> Map.ofSeq

/// The library's layers, bottom up (shared/DESIGN.md, "The one pipeline"; docs/architecture.md). A module may refer only
/// to modules of a strictly lower layer: no references upward, none sideways, and so no cycle.
let layers =
    [ 0, [ "(root)" ]
      1, [ "Random"; "Tables"; "Statistics"; "Json" ]
      2, [ "Electorate" ]
      3, [ "Elections" ]
      4, [ "Behaviour" ]
      5, [ "Data" ]
      6, [ "Scoring"; "Networks" ]
      7, [ "Campaigns" ]
      8, [ "Regulation"; "Suppression" ]
      9, [ "Transparency" ]
      10, [ "Experiments" ] ]

let private rank = layers |> List.collect (fun (r, ms) -> ms |> List.map (fun m -> m, r)) |> Map.ofList

/// The strongly connected components with more than one module (Tarjan): each is a cycle between namespaces.
let cycles (edges: Map<string * string, string list>) =
    let nodes = edges |> Map.toSeq |> Seq.collect (fun ((a, b), _) -> [ a; b ]) |> Seq.distinct |> Seq.sort |> List.ofSeq
    let succ n = edges |> Map.toSeq |> Seq.choose (fun ((a, b), _) -> if a = n then Some b else None) |> List.ofSeq
    let index = Dictionary<string, int>()
    let low = Dictionary<string, int>()
    let onStack = HashSet<string>()
    let stack = Stack<string>()
    let result = List<string list>()
    let mutable next = 0
    let rec visit v =
        index[v] <- next; low[v] <- next; next <- next + 1
        stack.Push v; onStack.Add v |> ignore
        for w in succ v do
            if not (index.ContainsKey w) then
                visit w
                low[v] <- min low[v] low[w]
            elif onStack.Contains w then low[v] <- min low[v] index[w]
        if low[v] = index[v] then
            let comp = List<string>()
            let mutable fin = false
            while not fin do
                let w = stack.Pop()
                onStack.Remove w |> ignore
                comp.Add w
                fin <- (w = v)
            if comp.Count > 1 then result.Add(comp |> Seq.sort |> List.ofSeq)
    for n in nodes do if not (index.ContainsKey n) then visit n
    List.ofSeq result

/// Public methods and constructors (public or protected members of types visible outside the assembly) with a parameter
/// named `seed` of type `ulong`, as "Type.Member". Public entry points take `int? seed` (shared/DESIGN.md, conventions;
/// docs/reproducibility.md): the 64-bit stream seed stays internal, converted once by Seeds.Resolve.
let publicUlongSeeds (asm: System.Reflection.Assembly) =
    let flags = System.Reflection.BindingFlags.Public ||| System.Reflection.BindingFlags.NonPublic ||| System.Reflection.BindingFlags.Instance
                ||| System.Reflection.BindingFlags.Static ||| System.Reflection.BindingFlags.DeclaredOnly
    [ for t in asm.GetTypes() do
        if t.IsVisible then
            let members : System.Reflection.MethodBase seq =
                Seq.append (t.GetMethods flags |> Seq.cast) (t.GetConstructors flags |> Seq.cast)
            for m in members do
                if m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly then
                    if m.GetParameters() |> Array.exists (fun p -> p.Name = "seed" && p.ParameterType = typeof<uint64>) then
                        yield t.FullName + "." + m.Name ]
    |> List.distinct |> List.sort

/// A planted public API with a 64-bit seed, so the check is seen to find one.
type PlantedUlongSeed(seed: uint64) =
    member _.Seed = seed
    static member Make(n: int, seed: uint64) = PlantedUlongSeed(seed + uint64 n)
    static member Fine(seed: System.Nullable<int>) = seed

/// Public properties of public records whose type is a mutable collection (an array, List, Dictionary or HashSet), as
/// "Record.Property". Records are values: a caller who gets a record must not be able to change another's copy through a
/// shared array (shared/DESIGN.md, conventions), so records hold IReadOnlyList / IReadOnlyDictionary.
let private mutableType (t: Type) =
    t.IsArray
    || (t.IsGenericType && (let d = t.GetGenericTypeDefinition() in d = typedefof<List<_>> || d = typedefof<Dictionary<_, _>> || d = typedefof<HashSet<_>>))

let mutableRecordCollections (asm: System.Reflection.Assembly) =
    let flags = System.Reflection.BindingFlags.Public ||| System.Reflection.BindingFlags.Instance ||| System.Reflection.BindingFlags.DeclaredOnly
    [ for t in asm.GetTypes() do
        let csharpRecord = not (isNull (t.GetMethod("<Clone>$")))
                           || (t.IsValueType && not (isNull (t.GetMethod("PrintMembers", System.Reflection.BindingFlags.NonPublic ||| System.Reflection.BindingFlags.Instance))))
        if t.IsVisible && (csharpRecord || FSharp.Reflection.FSharpType.IsRecord t) then
            for p in t.GetProperties flags do
                if mutableType p.PropertyType then yield t.FullName + "." + p.Name ]
    |> List.sort

/// A planted public record with an array, so the check is seen to find one.
type PlantedRecordWithArray = { Values: double[]; Names: IReadOnlyList<string> }

/// Public static fields and properties of public types (records, classes, static classes) whose type is a mutable
/// collection, as "Type.Member". A static array is shared by every caller in the process: one caller's
/// <c>Known[0] = "x"</c> changes what every other sees, so shared lists are IReadOnlyList (built from a collection
/// expression, which gives a read-only wrapper) or ImmutableArray.
/// A read-only declared type is not enough when the value behind it is an array or a List (a caller can cast it back), so
/// the values of read-only collection members are checked too.
let mutableStaticCollections (asm: System.Reflection.Assembly) =
    let flags = System.Reflection.BindingFlags.Public ||| System.Reflection.BindingFlags.Static ||| System.Reflection.BindingFlags.DeclaredOnly
    let readOnlyCollection (t: Type) =
        t.IsInterface && t <> typeof<string> && typeof<System.Collections.IEnumerable>.IsAssignableFrom t
    let mutableValue (read: unit -> obj) = match read () with null -> false | v -> mutableType (v.GetType())
    [ for t in asm.GetTypes() do
        if t.IsVisible && not t.ContainsGenericParameters then
            for f in t.GetFields flags do
                if mutableType f.FieldType || (readOnlyCollection f.FieldType && f.IsInitOnly && mutableValue (fun () -> f.GetValue null)) then
                    yield t.FullName + "." + f.Name
            for p in t.GetProperties flags do
                if p.GetIndexParameters().Length = 0
                   && (mutableType p.PropertyType || (readOnlyCollection p.PropertyType && mutableValue (fun () -> p.GetValue null))) then
                    yield t.FullName + "." + p.Name ]
    |> List.sort

/// A planted public type with a public static array, so the check is seen to find one.
type PlantedStaticArray() =
    static member val Values: int[] = [| 1 |] with get
    static member val Names: IReadOnlyList<string> = Array.AsReadOnly [| "a" |] with get
    static member val Cast: IReadOnlyList<string> = [| "a" |] :> IReadOnlyList<string> with get

/// Public fields and properties (static or instance, declared or inherited) of public types whose type is an array, as
/// "Type.Member". A result object that hands out its array lets a caller overwrite the model's state by accident
/// (<c>result.SupportScore[0] = 1</c> changes every later reader's scores), so public members return
/// ImmutableArray&lt;T&gt; (a view of the array, no copy) and keep the array in an internal member for the library's loops.
let publicArrayMembers (asm: System.Reflection.Assembly) =
    let flags = System.Reflection.BindingFlags.Public ||| System.Reflection.BindingFlags.Instance ||| System.Reflection.BindingFlags.Static
    [ for t in asm.GetTypes() do
        if t.IsVisible then
            for f in t.GetFields flags do
                if f.FieldType.IsArray then yield t.FullName + "." + f.Name
            for p in t.GetProperties flags do
                if p.PropertyType.IsArray then yield t.FullName + "." + p.Name ]
    |> List.distinct |> List.sort

/// The public types of lib/Workbench allowed to expose arrays, each with the reason. Keep it exact: the test fails when a
/// type here no longer exposes an array.
let publicArrayAllowList : Map<string, string> =
    Map.ofList [
        "Workbench.Electorate.Electorate",
        "its per-voter and per-constituency columns are the design's struct-of-arrays (shared/DESIGN.md, conventions: columnar "
        + "data for anything per voter), read directly by notebooks, the Parquet writer and every model's hot loop"
    ]

/// A planted public class with a public array field and property, so the check is seen to find both; its ImmutableArray
/// view and its internal array are not reported.
type PlantedPublicArray() =
    [<DefaultValue>] val mutable Buffer: float32[]
    member _.Scores: float32[] = [| 1.0f |]
    member _.View: System.Collections.Immutable.ImmutableArray<float32> = System.Collections.Immutable.ImmutableArray.Create 1.0f
    member internal _.Hidden: int[] = [| 1 |]

let private libraryPath () = typeof<Workbench.Electorate.Electorate>.Assembly.Location
let private notebooksPath () = typeof<Workbench.Notebooks.Notebook>.Assembly.Location

[<Tests>]
let tests =
    testList "Architecture.Modules" [
        test "the analyser sees the library's known dependencies (so an empty graph cannot pass)" {
            let g = moduleGraph (libraryPath ()) "Workbench"
            for edge in [ "Campaigns", "Behaviour"; "Experiments", "Campaigns"; "Electorate", "Random"; "Scoring", "Statistics" ] do
                Expect.isTrue (g.ContainsKey edge) (sprintf "expected a reference %A" edge)
        }
        test "cycle detection finds a planted cycle and none in a chain" {
            let e (a, b) = (a, b), [ "x" ]
            Expect.equal (cycles (Map.ofList [ e ("A", "B"); e ("B", "C"); e ("C", "A"); e ("C", "D") ])) [ [ "A"; "B"; "C" ] ] "one cycle"
            Expect.isEmpty (cycles (Map.ofList [ e ("A", "B"); e ("B", "C") ])) "a chain has none"
        }
        test "every namespace of lib/Workbench has a layer" {
            let g = moduleGraph (libraryPath ()) "Workbench"
            use asm = AssemblyDefinition.ReadAssembly(libraryPath ())
            let modules =
                asm.MainModule.Types |> Seq.choose (fun t -> moduleOf "Workbench" t.Namespace) |> Seq.append (g |> Map.toSeq |> Seq.collect (fun ((a, b), _) -> [ a; b ]))
                |> Seq.distinct |> Seq.sort |> List.ofSeq
            let missing = modules |> List.filter (fun m -> not (rank.ContainsKey m))
            Expect.isEmpty missing (sprintf "namespaces without a layer in Architecture.layers (add them there and to docs/architecture.md): %A" missing)
        }
        test "modules of lib/Workbench refer only to lower layers: no reference upward or sideways, no cycle" {
            let g = moduleGraph (libraryPath ()) "Workbench"
            let bad =
                g |> Map.toList |> List.filter (fun ((a, b), _) ->
                    match rank.TryFind a, rank.TryFind b with
                    | Some ra, Some rb -> rb >= ra
                    | _ -> true)
                |> List.map (fun ((a, b), ex) -> sprintf "%s → %s, e.g. %s" a b (String.Join("; ", ex |> List.truncate 3)))
            Expect.isEmpty bad (sprintf "references against the layering:\n%s" (String.Join("\n", bad)))
            Expect.isEmpty (cycles g) (sprintf "namespace cycles: %A" (cycles g))
        }
        test "the seed check finds a public ulong seed (a planted type) and passes int? seeds" {
            let found = publicUlongSeeds typeof<PlantedUlongSeed>.Assembly |> List.filter (fun m -> m.Contains "PlantedUlongSeed")
            Expect.equal found [ typeof<PlantedUlongSeed>.FullName + "..ctor"; typeof<PlantedUlongSeed>.FullName + ".Make" ] "the constructor and Make, not Fine"
        }
        test "no public method or constructor of lib/Workbench takes a ulong seed: public entry points take int? seed" {
            let asm = typeof<Workbench.Electorate.Electorate>.Assembly
            Expect.isEmpty (publicUlongSeeds asm) "public members with a ulong seed (give them int? seed and convert with Seeds.Resolve; keep the ulong path internal)"
            let score = typeof<Workbench.Scoring.Scorer>.GetMethods() |> Array.find (fun m -> m.Name = "Score" && m.IsPublic)
            Expect.equal (score.GetParameters() |> Array.find (fun p -> p.Name = "seed")).ParameterType typeof<System.Nullable<int>> "sanity: Scorer.Score's public seed is int?"
        }
        test "the record check finds a planted record holding an array and passes read-only collections" {
            let found = mutableRecordCollections typeof<PlantedRecordWithArray>.Assembly |> List.filter (fun m -> m.Contains "PlantedRecordWithArray")
            Expect.equal found [ typeof<PlantedRecordWithArray>.FullName + ".Values" ] "Values (an array), not Names"
        }
        test "public records of lib/Workbench hold no mutable collections (arrays, lists, dictionaries, sets)" {
            let asm = typeof<Workbench.Electorate.Electorate>.Assembly
            let found = mutableRecordCollections asm
            Expect.isEmpty found (sprintf "record properties holding mutable collections (make them IReadOnlyList / IReadOnlyDictionary, or ImmutableArray for a result's vectors): %s" (String.Join(", ", found)))
        }
        test "the static check finds a planted public static array and passes read-only collections" {
            let found = mutableStaticCollections typeof<PlantedStaticArray>.Assembly |> List.filter (fun m -> m.Contains "PlantedStaticArray")
            Expect.equal found [ typeof<PlantedStaticArray>.FullName + ".Cast"; typeof<PlantedStaticArray>.FullName + ".Values" ] "Values (an array) and Cast (an array behind IReadOnlyList), not Names"
        }
        test "public types of lib/Workbench and the notebook engine expose no mutable static collections (arrays, lists, dictionaries, sets)" {
            let found =
                [ typeof<Workbench.Electorate.Electorate>.Assembly; typeof<Workbench.Notebooks.Notebook>.Assembly ] |> List.collect mutableStaticCollections
            Expect.isEmpty found (sprintf "public static fields or properties holding mutable collections (make them IReadOnlyList from a collection expression, [.. items], or ImmutableArray; an array behind IReadOnlyList can be cast back): %s" (String.Join(", ", found)))
        }
        test "the array check finds a planted public array field and property and passes ImmutableArray and internal arrays" {
            let found = publicArrayMembers typeof<PlantedPublicArray>.Assembly |> List.filter (fun m -> m.Contains "PlantedPublicArray")
            Expect.equal found [ typeof<PlantedPublicArray>.FullName + ".Buffer"; typeof<PlantedPublicArray>.FullName + ".Scores" ] "Buffer and Scores, not View or Hidden"
        }
        test "no public property or field of a public type of lib/Workbench returns an array (T[]), apart from the allow-list" {
            let found = publicArrayMembers typeof<Workbench.Electorate.Electorate>.Assembly
            let typeOf (m: string) = m.Substring(0, m.LastIndexOf '.')
            let bad = found |> List.filter (fun m -> not (publicArrayAllowList.ContainsKey(typeOf m)))
            Expect.isEmpty bad (sprintf "public members returning arrays (return ImmutableArray<T> through ImmutableCollectionsMarshal.AsImmutableArray and keep the array in an internal member, or add the type to publicArrayAllowList with the reason): %s" (String.Join(", ", bad)))
            for KeyValue(t, _) in publicArrayAllowList do
                Expect.isTrue (found |> List.exists (fun m -> typeOf m = t)) $"{t} is allow-listed but exposes no array: drop it from publicArrayAllowList"
        }
        test "the numeric kernels are internal: the Philox bijection, its SIMD batch, the float maths and the campaign engine's delivery loop" {
            let asm = typeof<Workbench.Electorate.Electorate>.Assembly
            for name in [ "Workbench.Random.Philox"; "Workbench.Random.PhiloxBatch"; "Workbench.Random.FloatMath" ] do
                let t = asm.GetType(name)
                Expect.isNotNull t $"{name} exists"
                Expect.isFalse t.IsPublic $"{name} is internal (public entry points are RandomStream, Seeds and the generators)"
            let run = typeof<Workbench.Campaigns.CampaignOutcome>.Assembly.GetType("Workbench.Campaigns.CampaignEngine").GetMethods(Reflection.BindingFlags.Public ||| Reflection.BindingFlags.Static)
            Expect.isFalse (run |> Array.exists (fun m -> m.Name = "Run" || m.Name = "Deliver")) "CampaignEngine's delivery loop is not public"
        }
        test "the notebook engine does not reference the simulation library" {
            use asm = AssemblyDefinition.ReadAssembly(notebooksPath ())
            let refs = asm.MainModule.AssemblyReferences |> Seq.map (fun r -> r.Name) |> List.ofSeq
            Expect.contains refs "System.Runtime" "sanity: the reference list is read"
            Expect.isFalse (refs |> List.contains "Workbench") "Workbench.Notebooks references Workbench"
            let g = moduleGraph (notebooksPath ()) "Workbench.Notebooks"
            Expect.isFalse (g |> Map.exists (fun (_, b) _ -> b = "Elections" || b = "Electorate")) "no election namespaces inside the engine"
        }
    ]
