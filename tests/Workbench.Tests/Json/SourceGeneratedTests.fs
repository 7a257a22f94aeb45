module Workbench.Tests.Json.SourceGeneratedTests

open System
open System.Diagnostics
open System.IO
open System.Text.Json
open System.Text.Json.Nodes
open System.Text.Json.Serialization
open System.Text.Json.Serialization.Metadata
open Expecto
open Workbench
open Workbench.Json
open Workbench.Experiments
open Workbench.Cli.Tests

let private repo (p: string) = Path.Combine(Cli.repoRoot, p)

/// The source-generated contexts of the library, found by their base type (so a new one is checked too).
let private contexts () =
    typeof<Workbench.Electorate.ElectorateSpec>.Assembly.GetTypes()
    |> Array.filter (fun t -> t.IsSubclassOf typeof<JsonSerializerContext>)
    |> Array.sortBy (fun t -> t.FullName)

/// A context's shared instance (its static Contract property).
let private contract (t: Type) =
    match t.GetProperty("Contract", Reflection.BindingFlags.Public ||| Reflection.BindingFlags.Static) with
    | null -> failtestf "%s has no static Contract property" t.FullName
    | p -> p.GetValue null :?> JsonSerializerContext

/// The types a context declares with [JsonSerializable] and every type reachable from them through its contracts.
let private graph (ctx: JsonSerializerContext) =
    let seen = Collections.Generic.HashSet<Type>()
    let rec visit (t: Type) =
        if seen.Add t then
            let info = ctx.Options.GetTypeInfo t
            for p in info.Properties do visit p.PropertyType
            if not (isNull info.ElementType) then visit info.ElementType
            if not (isNull info.KeyType) then visit info.KeyType
            match Nullable.GetUnderlyingType t with
            | null -> ()
            | u -> visit u
    ctx.GetType().GetCustomAttributesData()
    |> Seq.filter (fun d -> d.AttributeType = typeof<JsonSerializableAttribute>)
    |> Seq.iter (fun d -> visit (d.ConstructorArguments[0].Value :?> Type))
    seen |> Seq.sortBy (fun t -> t.FullName) |> List.ofSeq

/// Runs every input the library reads: each shipped file through its parser, the built-in scenarios, presets and regimes,
/// the spec and regime writers, the codebook and the schemas. Returns how many it read.
let private readEveryInput () =
    let mutable count = 0
    let parse format (file: string) =
        (FileFormats.Get format).Parse.Invoke(File.ReadAllText file, Path.GetDirectoryName file)
        count <- count + 1
    for f in Directory.GetFiles(repo "notebooks/scenarios", "*.json") |> Array.sort do parse "scenario" f
    for f in Array.append (Directory.GetFiles(repo "notebooks/sweeps", "*.json")) (Directory.GetFiles(repo "tests/sweeps", "*.json")) |> Array.sort do parse "sweep" f
    for f in Directory.GetFiles(repo "data-synthetic/presets", "*.json") |> Array.sort do parse "electorate-spec" f
    for f in Directory.GetFiles(repo "data-synthetic/regimes", "*.json") |> Array.sort do parse "regime" f
    for f in Directory.GetFiles(repo "notebooks/workshop/cards", "workshop-*.json") |> Array.sort do parse "workshop-card" f
    for f in Directory.GetFiles(repo "lib/Workbench/Elections/Official", "*.json") |> Array.sort do
        (FileFormats.Get "allocate-input").Parse.Invoke((JsonNode.Parse(File.ReadAllText f).["input"]).ToJsonString(), null)
        count <- count + 1
    // The indices input (no shipped file): the example of docs/elections.md, with and without two-party districts.
    for input in [ """{"votes":{"A":50,"B":30,"C":20},"seats":{"A":6,"B":3,"C":1}}"""; """{"votes":{"A":11,"B":14},"seats":{"A":1,"B":2},"districts":[{"A":6,"B":4},{"A":3,"B":2},{"A":2,"B":8}]}""" ] do
        (FileFormats.Get "indices-input").Parse.Invoke(input, null) |> ignore
        count <- count + 1
    // An allocate input with every block the official ones leave out.
    (FileFormats.Get "allocate-input").Parse.Invoke("""{"method":"dhondt","seats":9,"tieBreak":"lot","seed":3,"apportionment":{"method":"hare","by":"valid-votes"},"threshold":{"share":0.05,"scope":"district","base":"valid-including-blank","quota":0.5,"exempt":["C"],"partyShares":{"B":0.1},"electorateSeats":1},"districts":[{"name":"n","votes":{"A":10,"B":5,"C":1},"blank":2},{"votes":{"A":3,"B":8}}]}""", null) |> ignore
    count <- count + 1
    // Run manifests (workbench verify), of a simulation and of a sweep, with every field a manifest writes.
    let common = "\"library\":\"1.0\",\"commit\":\"c\",\"sdk\":\"10\",\"files\":{\"results.csv\":\"" + String.replicate 64 "a" + "\"},\"seed\":1,\"replicates\":2,\"replicateSeeds\":[1,2],\"voters\":1000,\"preset\":\"classroom\",\"regime\":\"uk-like\",\"varyElectorate\":true,\"systems\":[\"FPTP\"],\"arms\":[\"baseline\"]"
    for manifest in [ "{\"kind\":\"simulation\"," + common + ",\"scenario\":\"classroom\",\"scenarioSha256\":\"x\",\"scenarioJson\":{\"name\":\"s\"},\"overrides\":{\"replicates\":2,\"seed\":1,\"voters\":1000}}"
                      "{\"kind\":\"sweep\"," + common + ",\"sweep\":\"s\",\"sweepSha256\":\"x\",\"items\":4,\"rows\":8,\"parameters\":[\"budget\"],\"variants\":2,\"sweepJson\":{\"base\":\"classroom\"}}" ] do
        RunManifest.Parse manifest |> ignore
        count <- count + 1
    // The manifest of a `workbench run` folder, read by `verify` through the command line's contract (its sources are
    // missing, so nothing is rerun: each is reported as a difference).
    let runDir = Cli.tempDir ()
    try
        File.WriteAllText(Path.Combine(runDir, "manifest.json"), """{"kind":"notebooks","notebooks":[{"executed":"01.ipynb","source":"../none/01.ipynb","sourceSha256":"ab","succeeded":true,"parameters":{"voters":"1000"},"library":"1","commit":"c","sdk":"10"}]}""")
        let code, out, err = Cli.run [ "verify"; runDir ]
        Expect.equal code 1 err
        Expect.stringContains out "01.ipynb: source: recorded ../none/01.ipynb, rerun (missing)" "the notebooks manifest is read"
        count <- count + 1
        // `workbench run` into the same folder rereads that manifest through the same contract and keeps the entry of the
        // notebook it does not rerun (a notebook without code cells: nothing is compiled).
        let source = Path.Combine(runDir, "text.ipynb")
        File.WriteAllText(source, """{"cells":[{"cell_type":"markdown","id":"t1","metadata":{},"source":["# text"]}],"metadata":{},"nbformat":4,"nbformat_minor":5}""")
        let code, _, err = Cli.run [ "run"; source; "--out"; runDir ]
        Expect.equal code 0 err
        let kept = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "manifest.json"))).["notebooks"].AsArray() |> Seq.map (fun e -> e.["executed"].GetValue<string>()) |> List.ofSeq
        Expect.equal kept [ "01.ipynb"; "text.ipynb" ] "the earlier entry is kept beside the new one"
        count <- count + 1
    finally Directory.Delete(runDir, true)
    for f in [ repo "notebooks/sensitivity/classroom.json"; repo "tests/sensitivity/small-parameters.json" ] do
        SensitivitySpec.Load f |> ignore
        count <- count + 1
    parse "scenario" (repo "tests/sensitivity/small.json")
    parse "sensitivity-parameters" (repo "notebooks/sensitivity/fptp-vs-pr.json")
    parse "workshop-questions" (repo "notebooks/workshop/cards/questions.json")
    // The shipped official results, each read whole (its input, sources and declared seats).
    for e in Elections.OfficialElection.All() do
        Expect.isTrue (e.Compare().Matches) e.Id
        count <- count + 1
    // The files a planned analysis reads back: plan.json and sensitivity.json (SensitivityStudy.Load), and a shard's
    // manifest.json once the shard has run (Sweep.Status).
    let planDir = Cli.tempDir ()
    try
        let code, _, err = Cli.run [ "sensitivity"; repo "tests/sensitivity/small.json"; "--parameters"; repo "tests/sensitivity/small-parameters.json"; "--method"; "morris"; "--samples"; "2"; "--plan-only"; "--shards"; "6"; "--out"; planDir ]
        Expect.equal code 0 err
        let study = SensitivityStudy.Load planDir
        Expect.equal study.Sweep.Hash (SweepPlan.Load planDir).Spec.Hash "sensitivity.json and plan.json are read"
        Expect.isTrue (Sweep.RunShard(planDir, 0, Nullable 1)) "shard 0 runs"
        Expect.equal (Sweep.Status planDir |> Seq.filter (fun s -> s.State = ShardState.Done) |> Seq.length) 1 "its manifest is read"
        count <- count + 3
    finally Directory.Delete(planDir, true)
    // The electorate's other sources (an inline spec, a spec file) and an arm's rounds, which no shipped scenario combines.
    let specDir = Cli.tempDir ()
    try
        let spec = (Electorate.ElectorateSpec.Preset "classroom").ToJson()
        File.WriteAllText(Path.Combine(specDir, "spec.json"), spec)
        let arms = """"systems":[{"name":"F","type":"fptp"}],"arms":[{"name":"r","rounds":2,"campaigns":[{"party":"Red","budget":1000,"channels":["tv"]},{"party":"Blue","budget":1000,"channels":["tv"]}]}]"""
        for electorate in [ "{\"spec\":" + spec + ",\"voters\":2000}"; """{"specFile":"spec.json"}""" ] do
            let s = Scenario.Parse("{\"electorate\":" + electorate + "," + arms + "}", specDir)
            Expect.equal (s.Electorate.ToJson(), s.Arms[0].Rounds) (spec, 2) "the electorate and the arm's rounds are read"
            count <- count + 1
    finally Directory.Delete(specDir, true)
    // Branches no shipped file takes: a built-in channel overridden, an inline regime object, a network block.
    let classroom = JsonNode.Parse(File.ReadAllText(repo "notebooks/scenarios/classroom.json")).AsObject()
    classroom["channels"] <- JsonNode.Parse """[ { "name": "paid-social", "cost": 0.5 } ]"""
    classroom["regime"] <- JsonNode.Parse(Data.DataRegime.Preset("uk-like").ToJson())
    classroom["network"] <- JsonNode.Parse """{ "graph": { "partyHomophily": 0.5 } }"""
    let edited = Scenario.Parse(classroom.ToJsonString(), repo "notebooks/scenarios")
    Expect.equal (edited.Channel "paid-social").Cost 0.5 "the override is read"
    Expect.equal (edited.Channel "paid-social").MaxFrequency (Behaviour.Channels.For(Behaviour.EvidenceSet.Central) |> Seq.find (fun c -> c.Name = "paid-social")).MaxFrequency "the rest of the built-in channel is kept"
    Expect.equal edited.Network.Graph.PartyHomophily 0.5 "the network is read"
    Expect.equal edited.Network.Graph.OnlineDegree (Networks.ElectorateGraphOptions().OnlineDegree) "the rest of the graph keeps its defaults"
    count <- count + 1
    for name in Scenario.BuiltinNames do
        let s = Scenario.Builtin name
        Scenario.Parse(s.SelfContainedJson) |> ignore
        count <- count + 1
    for name in Electorate.ElectorateSpec.PresetNames do
        let spec = Electorate.ElectorateSpec.Preset name
        Expect.equal (Electorate.ElectorateSpec.FromJson(spec.ToJson()).ToJson()) (spec.ToJson()) $"{name}: the spec round-trips"
        count <- count + 1
    for name in Data.DataRegime.PresetNames do
        let r = Data.DataRegime.Preset name
        Expect.equal (Data.DataRegime.FromJson(r.ToJson()).ToJson()) (r.ToJson()) $"{name}: the regime round-trips"
        count <- count + 1
    let e = Electorate.Electorates.Generate("classroom", Nullable 1000, Nullable 1)
    Expect.stringContains (Electorate.ElectorateExport.CodebookJson e) "\"name\"" "the codebook is written"
    for f in FileFormats.All do Expect.isNonEmpty (FileFormats.SchemaDocument f.Name) $"{f.Name}: the schema is generated from the contracts"
    count

/// Set by the test that starts the child process: there, reflection-based serialization is switched off.
let private reflectionOffVariable = "WORKBENCH_TEST_JSON_REFLECTION_OFF"

[<Tests>]
let tests =
    testList "Json.SourceGenerated" [
        test "the library's contexts are the four input contracts, each resolving only itself, with JsonInput's options" {
            let found = contexts () |> Array.map (fun t -> t.FullName) |> List.ofArray
            Expect.equal found [ "Workbench.Data.DataJson"; "Workbench.Elections.ElectionsJson"; "Workbench.Electorate.ElectorateJson"; "Workbench.Experiments.ExperimentsJson" ] "contexts"
            let expected = JsonInput.CreateOptions()
            for t in contexts () do
                let ctx = contract t
                let o = ctx.Options
                Expect.isTrue (Object.ReferenceEquals(o.TypeInfoResolver, ctx)) $"{t.Name}: its options resolve through the context alone"
                Expect.isTrue o.IsReadOnly $"{t.Name}: its options cannot be changed after construction"
                Expect.isFalse (o.TypeInfoResolver :? DefaultJsonTypeInfoResolver) $"{t.Name}: not the reflection resolver"
                Expect.equal (o.TypeInfoResolverChain.Count) 1 $"{t.Name}: no resolver chained after the context"
                Expect.isTrue (box ctx :? IInputContract) $"{t.Name}: makes default instances"
                Expect.equal o.PropertyNamingPolicy expected.PropertyNamingPolicy $"{t.Name}: naming"
                Expect.equal o.ReadCommentHandling expected.ReadCommentHandling $"{t.Name}: comments"
                Expect.equal o.AllowTrailingCommas expected.AllowTrailingCommas $"{t.Name}: trailing commas"
                Expect.equal o.AllowDuplicateProperties expected.AllowDuplicateProperties $"{t.Name}: duplicates"
                Expect.equal o.MaxDepth JsonInput.MaxDepth $"{t.Name}: depth"
                Expect.equal o.NumberHandling expected.NumberHandling $"{t.Name}: numbers"
                Expect.equal o.UnmappedMemberHandling expected.UnmappedMemberHandling $"{t.Name}: unknown fields"
                Expect.equal o.RespectNullableAnnotations expected.RespectNullableAnnotations $"{t.Name}: nullability"
                Expect.equal o.WriteIndented expected.WriteIndented $"{t.Name}: indented"
                Expect.isTrue (Object.ReferenceEquals(o.Encoder, expected.Encoder)) $"{t.Name}: encoder"
                Expect.equal (o.Converters |> Seq.map (fun c -> c.GetType().Name) |> List.ofSeq) (expected.Converters |> Seq.map (fun c -> c.GetType().Name) |> List.ofSeq) $"{t.Name}: converters"
                for ty in graph ctx do
                    Expect.isTrue (JsonInput.IsSourceGenerated(o.GetTypeInfo ty)) $"{t.Name}: {ty.Name} is generated"
        }
        test "every record with init properties in a contract's graph has a default instance (absent fields keep their defaults)" {
            let mutable records = 0
            for t in contexts () do
                let ctx = contract t
                for ty in graph ctx do
                    let info = ctx.Options.GetTypeInfo ty
                    if info.Kind = JsonTypeInfoKind.Object && info.Properties |> Seq.exists (fun p -> not (isNull p.AssociatedParameter) && p.AssociatedParameter.IsMemberInitializer) then
                        match (box ctx :?> IInputContract).NewDefault ty with
                        | null -> failtestf "%s.NewDefault does not make a %s" t.Name ty.FullName
                        | d -> Expect.equal (d.GetType()) ty $"{t.Name}: the default of {ty.Name}"
                        records <- records + 1
            Expect.isGreaterThanOrEqual records 16 "the records of the three contracts"
        }
        test "a field left out keeps the record's default, at the top and in nested records" {
            let spec = Electorate.ElectorateSpec.FromJson """{"name":"x","marginals":{"female":0.4}}"""
            let d = Electorate.ElectorateSpec()
            Expect.equal spec.Regions d.Regions "regions: the default"
            Expect.sequenceEqual spec.HouseholdSizes d.HouseholdSizes "householdSizes: the default"
            Expect.equal spec.Marginals.Female 0.4 "the given nested field"
            Expect.equal spec.Marginals.Minority (Electorate.DemographicTargets().Minority) "a nested field left out: the nested record's default"
            Expect.equal spec.Turnout d.Turnout "a nested record left out: the parent's default"
            Expect.isNull spec.VoterModel "a null default stays null"
            let s = Scenario.Parse(File.ReadAllText(repo "notebooks/scenarios/classroom.json"), repo "notebooks/scenarios")
            let c = s.Arms[0].Campaigns[0]
            Expect.equal c.MarginUncertainty (Campaigns.CampaignSpec().MarginUncertainty) "a campaign's number left out: its default"
            Expect.equal c.Knowledge (Campaigns.CampaignSpec().Knowledge) "a campaign's enum left out: its default"
        }
        test "JsonInput refuses a contract built by reflection, or a generated one with other options" {
            let reflection = JsonInput.CreateOptions()
            reflection.TypeInfoResolver <- DefaultJsonTypeInfoResolver()
            let info = reflection.GetTypeInfo(typeof<Data.DataRegime>) :?> JsonTypeInfo<Data.DataRegime>
            let errors = Collections.Generic.List<ValidationError>()
            let node = JsonNode.Parse(File.ReadAllText(repo "data-synthetic/regimes/uk-like.json"))
            Expect.isFalse (JsonInput.IsSourceGenerated info) "reflection contract"
            Expect.throwsT<ArgumentException> (fun () -> JsonInput.Deserialize(node, "$", errors, info) |> ignore) "reflection is refused"
            let generatedDefault = Data.DataJson.Default.DataRegime
            Expect.isFalse (JsonInput.IsSourceGenerated generatedDefault) "the generator's own Default has other options"
            Expect.throwsT<ArgumentException> (fun () -> JsonInput.Deserialize(node, "$", errors, generatedDefault) |> ignore) "other options are refused"
            Expect.isTrue (JsonInput.IsSourceGenerated Data.DataJson.Contract.DataRegime) "the contract is accepted"
        }
        test "every input is read with reflection-based serialization switched off (a child process of these tests)" {
            let dll = Reflection.Assembly.GetExecutingAssembly().Location
            let config = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(dll, ".runtimeconfig.json"))).AsObject()
            let options = config["runtimeOptions"].AsObject()
            if isNull options["configProperties"] then options["configProperties"] <- JsonObject()
            options["configProperties"].["System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault"] <- JsonValue.Create false
            let dir = Cli.tempDir ()
            try
                let runtimeConfig = Path.Combine(dir, "no-reflection.runtimeconfig.json")
                File.WriteAllText(runtimeConfig, config.ToJsonString())
                let dotnet = match Environment.GetEnvironmentVariable "DOTNET_HOST_PATH" with | null | "" -> "dotnet" | p -> p
                let psi = ProcessStartInfo(dotnet, [ "exec"; "--runtimeconfig"; runtimeConfig; "--depsfile"; Path.ChangeExtension(dll, ".deps.json"); dll; "--filter-test-list"; "Json.ReflectionOff" ],
                                           RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Cli.repoRoot)
                psi.Environment[reflectionOffVariable] <- "1"
                use p = Process.Start psi
                let out = p.StandardOutput.ReadToEndAsync()
                let err = p.StandardError.ReadToEndAsync()
                let finished = p.WaitForExit 300_000
                if not finished then p.Kill true
                Expect.isTrue finished "the child test run finished in 5 minutes"
                Expect.equal p.ExitCode 0 $"the inputs are read without reflection:\n{out.Result}\n{err.Result}"
                Expect.stringContains out.Result "with reflection-based serialization off" "the child ran the reads"
            finally Directory.Delete(dir, true)
        }
    ]

/// Run by the test above in a child process whose runtime config switches reflection-based serialization off; in the
/// ordinary run it reads the same inputs with it on (and passes the same way).
[<Tests>]
let reflectionOff =
    testList "Json.ReflectionOff" [
        test "every shipped input file, built-in input, writer and schema works through the generated contracts alone" {
            let off = Environment.GetEnvironmentVariable reflectionOffVariable = "1"
            if off then Expect.isFalse JsonSerializer.IsReflectionEnabledByDefault "the runtime config switched reflection off"
            let count = readEveryInput ()
            Expect.isGreaterThanOrEqual count 80 "inputs read"
            printfn "Json.ReflectionOff: %d inputs read %s" count (if off then "with reflection-based serialization off" else "(reflection on: the ordinary run)")
        }
    ]
