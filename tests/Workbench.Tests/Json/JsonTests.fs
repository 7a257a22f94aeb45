module Workbench.Tests.Json.JsonTests

open System
open System.IO
open System.Text.Json
open System.Text.Json.Nodes
open Expecto
open FsCheck
open FsCheck.FSharp
open Workbench
open Workbench.Experiments
open Workbench.Cli.Tests

let private root = Cli.repoRoot
let private repo (p: string) = Path.Combine(root, p)

/// The shipped files of each format (the examples the schema tests accept and the fuzzer mutates).
let private shipped =
    [ "scenario", Array.append (Directory.GetFiles(repo "notebooks/scenarios", "*.json")) [| repo "tests/sensitivity/small.json" |] |> Array.sort
      "sweep", Array.append (Directory.GetFiles(repo "notebooks/sweeps", "*.json")) (Directory.GetFiles(repo "tests/sweeps", "*.json")) |> Array.sort
      "electorate-spec", Directory.GetFiles(repo "data-synthetic/presets", "*.json") |> Array.sort
      "regime", Directory.GetFiles(repo "data-synthetic/regimes", "*.json") |> Array.sort
      "workshop-card", Directory.GetFiles(repo "notebooks/workshop/cards", "workshop-*.json") |> Array.sort
      "sensitivity-parameters", Array.append (Directory.GetFiles(repo "notebooks/sensitivity", "*.json")) [| repo "tests/sensitivity/small-parameters.json" |] |> Array.sort
      "workshop-questions", [| repo "notebooks/workshop/cards/questions.json" |] ]
    |> Map.ofList

/// The allocate inputs inside the shipped official results (lib/Workbench/Elections/Official/*.json, field "input").
let private officialInputs =
    Directory.GetFiles(repo "lib/Workbench/Elections/Official", "*.json") |> Array.sort
    |> Array.map (fun f -> Path.GetFileName f, (JsonNode.Parse(File.ReadAllText f).["input"]).ToJsonString())

let private indicesExample = """{"votes":{"A":50,"B":30,"C":20},"seats":{"A":6,"B":3,"C":1},"districts":[{"A":10,"B":5}]}"""

/// Raises SpecValidationException or returns; any other exception escapes.
let private parse (format: string) (json: string) (dir: string) = (FileFormats.Get format).Parse.Invoke(json, dir)

let private rejects format json dir =
    try parse format json dir; None
    with :? SpecValidationException as ex -> Some ex.Message

/// Each committed schema, built once (JsonSchema.Net registers a schema's $id globally, so it must not be built twice).
let private schemaCache = Collections.Generic.Dictionary<string, Json.Schema.JsonSchema>()
let private schemaOf (format: string) =
    lock schemaCache (fun () ->
        match schemaCache.TryGetValue format with
        | true, s -> s
        | _ ->
            let s = Json.Schema.JsonSchema.FromText(File.ReadAllText(repo $"schemas/{format}.schema.json"))
            schemaCache[format] <- s
            s)
let private schemaAccepts format (json: string) =
    use doc = JsonDocument.Parse(json, JsonDocumentOptions(CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true))
    (schemaOf format).Evaluate(doc.RootElement, Json.Schema.EvaluationOptions(OutputFormat = Json.Schema.OutputFormat.List)).IsValid

let private scenarioDir = repo "notebooks/scenarios"
let private classroom = File.ReadAllText(repo "notebooks/scenarios/classroom.json")
/// The classroom scenario with one edit.
let private scenarioWith (edit: JsonObject -> unit) =
    let o = JsonNode.Parse(classroom, documentOptions = JsonDocumentOptions(CommentHandling = JsonCommentHandling.Skip)).AsObject()
    edit o
    o.ToJsonString()
let private presetWith (edit: JsonObject -> unit) =
    let o = JsonNode.Parse(File.ReadAllText(repo "data-synthetic/presets/classroom.json")).AsObject()
    edit o
    o.ToJsonString()
let private regimeWith (edit: JsonObject -> unit) =
    let o = JsonNode.Parse(File.ReadAllText(repo "data-synthetic/regimes/uk-like.json")).AsObject()
    edit o
    o.ToJsonString()
let private cardWith (edit: JsonObject -> unit) =
    let o = JsonNode.Parse(File.ReadAllText(repo "notebooks/workshop/cards/workshop-60.json")).AsObject()
    edit o
    o.ToJsonString()
let private n (json: string) = JsonNode.Parse json
let private cardsDir = repo "notebooks/workshop/cards"
let private questionsWith (edit: JsonObject -> unit) =
    let o = JsonNode.Parse(File.ReadAllText(repo "notebooks/workshop/cards/questions.json")).AsObject()
    edit o
    o.ToJsonString()

/// Invalid files that both the schema and the parser must reject (format, what is wrong, text, folder).
let private invalid =
    [ "scenario", "arm name is a number", scenarioWith (fun o -> o["arms"].[0].["name"] <- n "5"), scenarioDir
      "scenario", "campaigns [null]", scenarioWith (fun o -> o.Remove "arms" |> ignore; o["campaigns"] <- n "[null]"), scenarioDir
      "scenario", "an arm is a number", scenarioWith (fun o -> o["arms"] <- n "[5]"), scenarioDir
      "scenario", "unknown top-level field", scenarioWith (fun o -> o["colour"] <- n "\"red\""), scenarioDir
      "scenario", "replicates 0", scenarioWith (fun o -> o["replicates"] <- n "0"), scenarioDir
      "scenario", "replicates a string", scenarioWith (fun o -> o["replicates"] <- n "\"3\""), scenarioDir
      "scenario", "seed beyond 32 bits", scenarioWith (fun o -> o["seed"] <- n "2147483648"), scenarioDir
      "scenario", "no systems", scenarioWith (fun o -> o.Remove "systems" |> ignore), scenarioDir
      "scenario", "10 voters", scenarioWith (fun o -> o["electorate"].["voters"] <- n "10"), scenarioDir
      "scenario", "regime a number", scenarioWith (fun o -> o["regime"] <- n "5"), scenarioDir
      "scenario", "both arms and campaigns", scenarioWith (fun o -> o["campaigns"] <- o["arms"].[0].["campaigns"].DeepClone()), scenarioDir
      "scenario", "budget a string", scenarioWith (fun o -> o["arms"].[0].["campaigns"].[0].["budget"] <- n "\"lots\""), scenarioDir
      "scenario", "unknown strategy", scenarioWith (fun o -> o["arms"].[0].["campaigns"].[0].["strategy"] <- n "\"carpet-bomb\""), scenarioDir
      "scenario", "strategy in the C# spelling", scenarioWith (fun o -> o["arms"].[0].["campaigns"].[0].["strategy"] <- n "\"Microtarget\""), scenarioDir
      "scenario", "objective in capitals", scenarioWith (fun o -> o["arms"].[0].["campaigns"].[0].["objective"] <- n "\"SEATS\""), scenarioDir
      "regime", "source in the C# spelling", regimeWith (fun o -> o["allowedSources"] <- n "[\"VoterFile\"]"), null
      "scenario", "varyElectorate a string", scenarioWith (fun o -> o["varyElectorate"] <- n "\"yes\""), scenarioDir
      "scenario", "systems an object", scenarioWith (fun o -> o["systems"] <- n "{}"), scenarioDir
      "scenario", "$schema a number", scenarioWith (fun o -> o["$schema"] <- n "1"), scenarioDir
      "regime", "minimum audience 0", regimeWith (fun o -> o["minimumAudience"] <- n "0"), null
      "regime", "unknown source", regimeWith (fun o -> o["allowedSources"] <- n "[\"gossip\"]"), null
      "regime", "unknown field", regimeWith (fun o -> o["colour"] <- n "1"), null
      "regime", "individualModelling 1", regimeWith (fun o -> o["individualModelling"] <- n "1"), null
      "electorate-spec", "0 regions", presetWith (fun o -> o["regions"] <- n "0"), null
      "electorate-spec", "turnout target 2", presetWith (fun o -> o["turnoutTarget"] <- n "2"), null
      "electorate-spec", "parties a string", presetWith (fun o -> o["parties"] <- n "\"x\""), null
      "electorate-spec", "unknown field", presetWith (fun o -> o["colour"] <- n "1"), null
      "allocate-input", "unknown method", """{"method":"coin","seats":3,"votes":{"A":1}}""", null
      "allocate-input", "negative seats", """{"method":"dhondt","seats":-1,"votes":{"A":1}}""", null
      "allocate-input", "negative votes", """{"method":"dhondt","seats":3,"votes":{"A":-5}}""", null
      "allocate-input", "unknown tie-break", """{"method":"dhondt","seats":3,"votes":{"A":1},"tieBreak":"coin"}""", null
      "allocate-input", "no method", """{"seats":3,"votes":{"A":1}}""", null
      "allocate-input", "votes a number", """{"method":"dhondt","seats":3,"votes":5}""", null
      "indices-input", "no votes", """{"seats":{"A":1}}""", null
      "indices-input", "fractional seats", """{"votes":{"A":1},"seats":{"A":1.5}}""", null
      "sweep", "no base", """{"parameters":[{"path":"voters","values":[1000]}]}""", repo "notebooks/sweeps"
      "sweep", "a parameter without path", """{"base":"classroom","parameters":[{"values":[1,2]}]}""", repo "notebooks/sweeps"
      "sweep", "replicates 0", """{"base":"classroom","replicates":0}""", repo "notebooks/sweeps"
      "sweep", "unknown field", """{"base":"classroom","colour":1}""", repo "notebooks/sweeps"
      "workshop-card", "5 minutes", cardWith (fun o -> o["minutes"] <- n "5"), cardsDir
      "workshop-card", "no steps", cardWith (fun o -> o["steps"] <- n "[]"), cardsDir
      "workshop-card", "unknown preset", cardWith (fun o -> o["preset"] <- n "\"atlantis\""), cardsDir
      "workshop-card", "unknown figure", cardWith (fun o -> o["steps"].[1].["figures"] <- n "[\"votesPerDollar\"]"), cardsDir
      "sensitivity-parameters", "no parameters", """{"description":"x"}""", null
      "sensitivity-parameters", "parameters empty", """{"parameters":[]}""", null
      "sensitivity-parameters", "a parameter without path", """{"parameters":[{"name":"b","low":1,"high":2}]}""", null
      "sensitivity-parameters", "unknown distribution", """{"parameters":[{"path":"seed2","low":1,"high":2,"distribution":"normal"}]}""", null
      "sensitivity-parameters", "replicates 0", """{"parameters":[{"path":"a.b","low":1,"high":2}],"replicates":0}""", null
      "sensitivity-parameters", "unknown field", """{"parameters":[{"path":"a.b","low":1,"high":2}],"colour":1}""", null
      "sensitivity-parameters", "low a string", """{"parameters":[{"path":"a.b","low":"1","high":2}]}""", null
      "workshop-questions", "a question without id", questionsWith (fun o -> o["questions"].[0].AsObject().Remove "id" |> ignore), null
      "workshop-questions", "unknown figure", questionsWith (fun o -> o["questions"].[0].["figures"] <- n "[\"votesPerDollar\"]"), null
      "workshop-questions", "against 0", questionsWith (fun o -> o["questions"].[0].["against"] <- n "0"), null
      "workshop-questions", "a recommendation a number", questionsWith (fun o -> o["recommendations"].["research"] <- n "5"), null
      "workshop-questions", "unknown field", questionsWith (fun o -> o["colour"] <- n "1"), null
      "workshop-questions", "no questions", questionsWith (fun o -> o.Remove "questions" |> ignore), null ]

[<Tests>]
let parseTests =
    let scenario (extra: string) = "{\"electorate\":{\"preset\":\"classroom\",\"voters\":1000},\"systems\":[{\"name\":\"FPTP\",\"type\":\"fptp\"}],\"replicates\":1," + extra + "}"
    let run (args: string list) =
        let code, out, err = Cli.run args
        Expect.isFalse (err.Contains "   at ") $"no stack trace in stderr: {err}"
        code, out, err
    let withDir f =
        let d = Cli.tempDir ()
        try f d finally Directory.Delete(d, true)
    testList "Json.Parse" [
        for name, extra, path in
            [ "arm name a number", "\"arms\":[{\"name\":5,\"campaigns\":[]}]", "$.arms[0].name: expected a string, got a number"
              "campaigns [null]", "\"campaigns\":[null]", "$.campaigns[0]: must not be null"
              "an arm is a number", "\"arms\":[5]", "$.arms[0]: expected an arm"
              "duplicate keys", "\"arms\":[{\"name\":\"a\",\"name\":\"b\",\"campaigns\":[]}]", "$.arms[0]: the key 'name' appears twice"
              "deep nesting", "\"name\":" + String.replicate 70 "[" + String.replicate 70 "]", "nested deeper than 64 levels"
              "1e400", "\"campaigns\":[{\"party\":\"Red\",\"budget\":1e400}]", "$.campaigns[0].budget: 1e400 is outside the range"
              "-0", "\"campaigns\":[{\"party\":\"Red\",\"budget\":-0}]", "$.campaigns[0].budget: -0 is negative zero"
              "a huge integer for an int field", "\"seed\":99999999999999999999,\"campaigns\":[{\"party\":\"Red\",\"budget\":1}]", "$.seed: must be a 32-bit integer"
              "a number for a string field", "\"name\":7,\"campaigns\":[{\"party\":\"Red\",\"budget\":1}]", "$.name: expected a string, got a number"
              "an int field given a fraction", "\"campaigns\":[{\"party\":\"Red\",\"budget\":1}],\"channels\":[{\"name\":\"canvass\",\"maxFrequency\":1.5}]", "$.channels[0].maxFrequency: 1.5 is not a whole number" ] do
            test $"simulate exits 2 naming the JSON path: {name}" {
                withDir (fun d ->
                    let f = Path.Combine(d, "s.json")
                    File.WriteAllText(f, scenario extra)
                    let code, _, err = run [ "simulate"; f ]
                    Expect.equal code 2 err
                    Expect.stringContains err path "the message names the path")
            }
        test "a regime file outside the scenario's folder is refused unless --allow-outside-paths, and a non-JSON file is never echoed" {
            withDir (fun d ->
                let secretDir = Path.Combine(d, "private")
                let scenDir = Path.Combine(d, "scenarios")
                Directory.CreateDirectory secretDir |> ignore
                Directory.CreateDirectory scenDir |> ignore
                File.WriteAllText(Path.Combine(secretDir, "secret.txt"), "Zebra-password-123")
                let f = Path.Combine(scenDir, "s.json")
                File.WriteAllText(f, scenario "\"regime\":\"../private/secret.txt\",\"campaigns\":[{\"party\":\"Red\",\"budget\":1}]")
                let code, _, err = run [ "simulate"; f ]
                Expect.equal code 2 err
                Expect.stringContains err "$.regime" "names the field"
                Expect.stringContains err "--allow-outside-paths" "names the flag"
                let code2, _, err2 = run [ "simulate"; f; "--allow-outside-paths" ]
                Expect.equal code2 2 err2
                Expect.stringContains err2 "not valid JSON" "says it is not JSON"
                Expect.isFalse (err2.Contains "Zebra" || err2.Contains "'Z'") $"the file's content is not echoed: {err2}"
                let code3, _, err3 = run [ "simulate"; Path.Combine(scenDir, "s.json"); "--allow-outside-paths"; "--replicates"; "1" ]
                Expect.equal code3 2 err3)
        }
        test "an absolute path to a system file is refused" {
            withDir (fun d ->
                let f = Path.Combine(d, "s.json")
                File.WriteAllText(f, scenario "\"electorate\":{\"specFile\":\"/etc/passwd\"},\"campaigns\":[{\"party\":\"Red\",\"budget\":1}]" |> fun s -> s.Replace("\"electorate\":{\"preset\":\"classroom\",\"voters\":1000},", ""))
                let code, _, err = run [ "simulate"; f ]
                Expect.equal code 2 err
                Expect.stringContains err "$.electorate.specFile" "names the field"
                Expect.stringContains err "leaves the folder" "says why")
        }
        test "a regime file beside the scenario is read, and one in the project's data folders too" {
            withDir (fun d ->
                File.Copy(repo "data-synthetic/regimes/eu-gdpr.json", Path.Combine(d, "mine.json"))
                let s = Scenario.Load(Path.Combine(d, "x.json") |> fun f -> File.WriteAllText(f, scenario "\"regime\":\"mine.json\",\"campaigns\":[{\"party\":\"Red\",\"budget\":1}]"); f)
                Expect.equal s.Regime.Name "eu-gdpr" "the regime file beside the scenario")
            let s = Scenario.Parse(scenario "\"regime\":\"../../data-synthetic/regimes/germany-like.json\",\"campaigns\":[{\"party\":\"Red\",\"budget\":1}]", scenarioDir)
            Expect.equal s.Regime.Name "germany-like" "a regime in data-synthetic/ from notebooks/scenarios"
        }
        test "a sweep's base outside its folder is refused unless allowed" {
            withDir (fun d ->
                let sub = Path.Combine(d, "sweeps")
                Directory.CreateDirectory sub |> ignore
                File.WriteAllText(Path.Combine(d, "base.json"), scenario "\"campaigns\":[{\"party\":\"Red\",\"budget\":1}]")
                let json = """{"base":"../base.json","parameters":[{"path":"campaigns[0].budget","values":[1,2]}]}"""
                let msg = try SweepSpec.Parse(json, sub) |> ignore; "" with :? SpecValidationException as e -> e.Message
                Expect.stringContains msg "$.base: '../base.json' leaves the folder" "refused, naming the field"
                Expect.equal (SweepSpec.Parse(json, sub, true)).Variants.Count 2 "allowed with the flag")
        }
        test "\"$schema\" is accepted and ignored by every format, and does not change a scenario's hash" {
            let withSchema = Scenario.Parse(classroom, scenarioDir)
            let without = Scenario.Parse(scenarioWith (fun o -> o.Remove "$schema" |> ignore), scenarioDir)
            Expect.equal withSchema.Hash without.Hash "same hash"
            Expect.isFalse (withSchema.Json.Contains "$schema") "not in the scenario JSON the manifest records"
            Expect.equal (Electorate.ElectorateSpec.Preset "classroom").Name "classroom" "preset with $schema"
            Expect.equal (Data.DataRegime.Preset "uk-like").Name "uk-like" "regime with $schema"
            Elections.ElectionJson.Parse("""{"$schema":"x","method":"dhondt","seats":2,"votes":{"A":1,"B":2}}""") |> ignore
        }
        test "a scenario's top level reports every problem at once: unknown fields in file order, the blocks, then replicates, seed, varyElectorate, name and description" {
            let json = """{"zzz":1,"name":1,"description":null,"Name":"x","replicates":1.5,"seed":"s","varyElectorate":0,"electorate":{"preset":"classroom"},"arms":[],"aaa":[]}"""
            let errors = try Scenario.Parse(json) |> ignore; [] with :? SpecValidationException as e -> [ for x in e.Errors -> x.ToString() ]
            let known = "unknown field; known fields: name, description, electorate, varyElectorate, regime, regulation, systems, evidence, weeks, forecast, network, channels, arms, campaigns, replicates, seed."
            Expect.equal errors
                [ "$.zzz: " + known; "$.Name: " + known; "$.aaa: " + known
                  "$.systems: required: at least one system, e.g. [{ \"name\": \"FPTP\", \"type\": \"fptp\" }]."
                  "$.replicates: must be a whole number between 1 and 100,000."
                  "$.seed: must be a 32-bit integer."
                  "$.varyElectorate: expected true or false, got a number."
                  "$.name: expected a string, got a number."
                  "$.description: expected a string, got null." ] "every error, worded and ordered as the format always reported them"
            let ok = Scenario.Parse("""{"electorate":{"preset":"classroom"},"systems":[{"name":"F","type":"fptp"}],"arms":[],"varyElectorate":false,"seed":-2147483648}""")
            Expect.equal (ok.Name, ok.Description, ok.Replicates, ok.Seed, ok.VaryElectorate) ("scenario", "", 10, Int32.MinValue, false) "defaults, and the values given"
        }
        test "a scenario's electorate block is read through its contract: every problem at once, each with its path, worded and ordered as before" {
            let errorsOf (json: string) = try Scenario.Parse(json) |> ignore; [] with :? SpecValidationException as e -> [ for x in e.Errors -> x.ToString() ]
            let withElectorate (e: string) =
                "{" + (if e = "" then "" else "\"electorate\":" + e + ",") + "\"systems\":[{\"name\":\"F\",\"type\":\"fptp\"}],\"campaigns\":[{\"party\":\"Red\",\"budget\":1000,\"channels\":[\"tv\"]}]}"
            let known = "unknown field; known fields: preset, spec, specFile, voters."
            let required = "$.electorate: required: { \"preset\": NAME, \"voters\": N } or { \"spec\": {...}, \"voters\": N }; got "
            let one = "$.electorate: give exactly one of preset, spec or specFile."
            let voters = "$.electorate.voters: must be a whole number between 1,000 and 50,000,000."
            for electorate, expected in
                [ "", [ required + "null." ]
                  "null", [ required + "null." ]
                  "\"classroom\"", [ required + "a string." ]
                  "[]", [ required + "an array." ]
                  "{}", [ one ]
                  """{"preset":"classroom","spec":{},"voters":1000}""", [ one ]
                  """{"preset":null,"spec":null,"voters":1000}""", [ one ]
                  """{"preset":3,"voters":1000}""", [ "$.electorate.preset: expected a string, got a number." ]
                  """{"preset":null,"voters":1000}""", [ "$.electorate.preset: expected a string, got null." ]
                  """{"spec":null,"voters":1000}""", [ "$.electorate.spec: expected an electorate spec (an object), got null." ]
                  """{"spec":[],"voters":1000}""", [ "$.electorate.spec: expected an electorate spec (an object), got an array." ]
                  """{"spec":{},"voters":1000}""", [ "$.electorate.spec.parties: needs at least 2 parties; has 0." ]
                  """{"specFile":1,"voters":1000}""", [ "$.electorate.specFile: expected a string, got a number." ]
                  """{"specFile":null,"voters":1000}""", [ "$.electorate.specFile: expected a string, got null." ]
                  """{"preset":"classroom","voters":"1000"}""", [ voters ]
                  """{"preset":"classroom","voters":null}""", [ voters ]
                  """{"preset":"classroom","voters":1000.5}""", [ voters ]
                  """{"preset":"classroom","voters":999}""", [ voters ]
                  """{"preset":"classroom","voters":50000001}""", [ voters ]
                  """{"zz":1,"preset":"atlantis","Preset":"x","voters":999,"a b":null,"$schema":"s"}""",
                  [ "$.electorate.zz: " + known; "$.electorate.Preset: " + known; "$.electorate['a b']: " + known; "$.electorate.$schema: " + known
                    "$.electorate.preset: unknown preset 'atlantis'; known presets: classroom, germany-like, nordic-like, westminster-like."; voters ]
                  """{"q":1,"preset":"classroom","specFile":"x.json","voters":"x"}""", [ "$.electorate.q: " + known; one; voters ] ] do
                Expect.equal (errorsOf (withElectorate electorate)) expected electorate
            let spec = (Electorate.ElectorateSpec.Preset "classroom").ToJson()
            let inline' = Scenario.Parse(withElectorate ("{\"spec\":" + spec + "}"))
            Expect.equal (inline'.Voters, inline'.Preset) ((Electorate.ElectorateSpec.Preset "classroom").DefaultVoters, null) "an inline spec without voters: its default voters, no preset"
            let preset = Scenario.Parse(withElectorate """{"voters":2000,"preset":"classroom"}""")
            Expect.equal (preset.Voters, preset.Preset, preset.Electorate.ToJson()) (2000, "classroom", spec) "a preset with voters"
        }
        test "a scenario's arms are read through their contract: every problem at once, each with its path, worded and ordered as before" {
            let errorsOf (json: string) = try Scenario.Parse(json) |> ignore; [] with :? SpecValidationException as e -> [ for x in e.Errors -> x.ToString() ]
            let red = """{"party":"Red","budget":1000,"channels":["tv"]}"""
            let blue = """{"party":"Blue","budget":1000,"channels":["tv"]}"""
            let withArms (arms: string) =
                "{\"electorate\":{\"preset\":\"classroom\",\"voters\":1000},\"systems\":[{\"name\":\"F\",\"type\":\"fptp\"}]" + (if arms = "" then "" else "," + arms) + "}"
            let known = "unknown field; known fields: name, campaigns, rounds."
            let rounds = "must be a whole number of best-response rounds between 1 and 20; got "
            let name = "each arm needs a name other than 'baseline'."
            let anArm = "expected an arm { name, campaigns }, got "
            for arms, expected in
                [ "", [ "$.arms: required: arms [{ name, campaigns }] or campaigns [...]." ]
                  "\"arms\":\"a\"", [ "$.arms: expected an array of arms { name, campaigns }, got a string." ]
                  "\"arms\":null,\"campaigns\":[" + red + "]", [ "$.arms: expected an array of arms { name, campaigns }, got null." ]
                  "\"arms\":[\"x\",{\"name\":\"a\",\"campaigns\":[" + red + "]},[],true]", [ "$.arms[0]: " + anArm + "a string."; "$.arms[2]: " + anArm + "an array."; "$.arms[3]: " + anArm + "a boolean." ]
                  "\"arms\":[{\"campaigns\":[" + red + "]}]", [ "$.arms[0].name: " + name ]
                  "\"arms\":[{\"name\":\"\",\"campaigns\":[" + red + "]}]", [ "$.arms[0].name: " + name ]
                  "\"arms\":[{\"name\":\"baseline\",\"campaigns\":[" + red + "]}]", [ "$.arms[0].name: " + name ]
                  "\"arms\":[{\"name\":null,\"campaigns\":[" + red + "]}]", [ "$.arms[0].name: expected a string, got null." ]
                  "\"arms\":[{\"name\":\"a\",\"campaigns\":null}]", [ "$.arms[0].campaigns: expected an array of campaigns, got null." ]
                  "\"arms\":[{\"name\":\"a\",\"campaigns\":[" + red + "," + blue + "],\"rounds\":null}]", [ "$.arms[0].rounds: " + rounds + "null." ]
                  "\"arms\":[{\"name\":\"a\",\"campaigns\":[" + red + "," + blue + "],\"rounds\":\"\\u00e9\\\"<\"}]", [ "$.arms[0].rounds: " + rounds + "\"\\u00E9\\u0022\\u003C\"." ]
                  "\"arms\":[{\"name\":\"a\",\"campaigns\":[" + red + "," + blue + "],\"rounds\":21}]", [ "$.arms[0].rounds: " + rounds + "21." ]
                  "\"arms\":[{\"name\":\"a\",\"campaigns\":[" + red + "],\"rounds\":2}]", [ "$.arms[0].rounds: best-response rounds need at least two campaigns to answer each other; this arm has 1, so rounds must be 1; got 2." ]
                  "\"arms\":[{\"zz\":1,\"name\":\"a\",\"Name\":\"b\",\"campaigns\":[" + red + "],\"a b\":null,\"rounds\":1,\"Campaigns\":[]}]",
                  [ "$.arms[0].zz: " + known; "$.arms[0].Name: " + known; "$.arms[0]['a b']: " + known; "$.arms[0].Campaigns: " + known ]
                  "\"arms\":[{\"x\":1,\"rounds\":0,\"name\":7,\"campaigns\":{}},{\"name\":\"baseline\",\"rounds\":3}]",
                  [ "$.arms[0].x: " + known; "$.arms[0].rounds: " + rounds + "0."; "$.arms[0].name: expected a string, got a number."
                    "$.arms[0].campaigns: expected an array of campaigns, got an object."; "$.arms[1].name: " + name
                    "$.arms[1].rounds: best-response rounds need at least two campaigns to answer each other; this arm has 0, so rounds must be 1; got 3."
                    "$.arms[1].campaigns: an arm needs at least one campaign." ]
                  "\"arms\":[{\"name\":\"b\",\"campaigns\":[" + red + "]},{\"name\":\"a\",\"campaigns\":[" + blue + "]},{\"name\":\"b\",\"campaigns\":[" + blue + "]},{\"name\":\"a\",\"campaigns\":[" + red + "]}]",
                  [ "$.arms: the arm name 'b' is used twice."; "$.arms: the arm name 'a' is used twice." ]
                  "\"arms\":[{\"name\":\"a\",\"campaigns\":{}},{\"name\":\"a\",\"campaigns\":[" + red + "]},{\"name\":\"a\",\"campaigns\":[" + blue + "]}]",
                  [ "$.arms[0].campaigns: expected an array of campaigns, got an object."; "$.arms: the arm name 'a' is used twice." ]
                  "\"arms\":[{\"name\":\"a\",\"campaigns\":[" + red + "],\"k\":1},{\"name\":\"a\",\"rounds\":0}],\"campaigns\":null",
                  [ "$.arms[0].k: " + known; "$.arms[1].rounds: " + rounds + "0."; "$.campaigns: give either arms or campaigns, not both."
                    "$.arms: the arm name 'a' is used twice."; "$.arms[1].campaigns: an arm needs at least one campaign." ]
                  "\"campaigns\":null", [ "$.campaigns: expected an array of campaigns, got null." ]
                  "\"campaigns\":\"x\"", [ "$.campaigns: expected an array of campaigns, got a string." ] ] do
                Expect.equal (errorsOf (withArms arms)) expected arms
            let ok = Scenario.Parse(withArms ("\"arms\":[{\"name\":\"r\",\"campaigns\":[" + red + "," + blue + "],\"rounds\":3},{\"name\":\"s\",\"campaigns\":[" + red + "]}]"))
            Expect.equal [ for a in ok.Arms -> a.Name, a.Rounds, [ for c in a.Campaigns -> c.Party ] ] [ "r", 3, [ "Red"; "Blue" ]; "s", 1, [ "Red" ] ] "names, rounds (default 1) and campaigns"
            let shorthand = Scenario.Parse(withArms ("\"campaigns\":[" + red + "]"))
            Expect.equal [ for a in shorthand.Arms -> a.Name, a.Rounds, a.Campaigns.Count ] [ "campaign", 1, 1 ] "the campaigns shorthand: one arm named campaign"
        }
        test "allocate and indices: duplicate keys, 1e400 and wrong types exit 2 with the path" {
            withDir (fun d ->
                for json, path in
                    [ """{"method":"dhondt","seats":3,"votes":{"A":1,"A":2}}""", "$.votes: the key 'A' appears twice"
                      """{"method":"dhondt","seats":3,"votes":{"A":1e400}}""", "$.votes.A: 1e400 is outside the range"
                      """{"method":"dhondt","seats":"3","votes":{"A":1}}""", "$.seats"
                      """{"method":"dhondt","seats":3,"districts":5}""", "$.districts" ] do
                    let f = Path.Combine(d, "in.json")
                    File.WriteAllText(f, json)
                    let code, _, err = run [ "allocate"; f ]
                    Expect.equal code 2 err
                    Expect.stringContains err path json
                let f = Path.Combine(d, "ix.json")
                File.WriteAllText(f, """{"votes":{"A":1},"seats":{"A":1},"districts":{}}""")
                let code, _, err = run [ "indices"; f ]
                Expect.equal code 2 err
                Expect.stringContains err "$.districts" "path")
        }
        test "verify exits 2 on a damaged manifest, naming the field" {
            withDir (fun d ->
                File.WriteAllText(Path.Combine(d, "results.csv"), "a\n1\n")
                for json, path in [ """{"kind":5}""", "$.kind"; """{"kind":"simulation","kind":"sweep"}""", "the key 'kind' appears twice"; """{"kind":"simulation","scenarioJson":[],"overrides":{}}""", "$.scenarioJson" ] do
                    File.WriteAllText(Path.Combine(d, "manifest.json"), json)
                    let code, _, err = run [ "verify"; d ]
                    Expect.equal code 2 err
                    Expect.stringContains err path json)
        }
        test "Workbench.Json uses no other Workbench namespace (only the validation types at the root)" {
            for file in Directory.GetFiles(repo "lib/Workbench/Json", "*.cs") do
                let text = File.ReadAllText file
                let uses = Text.RegularExpressions.Regex.Matches(text, @"\bWorkbench\.([A-Z][A-Za-z]*)") |> Seq.map (fun m -> m.Groups[1].Value) |> Seq.filter (fun ns -> ns <> "Json") |> Seq.distinct |> List.ofSeq
                Expect.isEmpty uses $"{Path.GetFileName file} refers to Workbench namespaces {uses}"
                Expect.isFalse (text.Contains "using Workbench.") $"{Path.GetFileName file} has a using of another Workbench namespace"
        }
        test "a damaged plan.json, shard manifest or sensitivity.json is a validation error naming the file and the JSON path (before: NullReferenceException)" {
            withDir (fun d ->
                let code, _, err = run [ "sensitivity"; repo "tests/sensitivity/small.json"; "--parameters"; repo "tests/sensitivity/small-parameters.json"; "--method"; "morris"; "--samples"; "2"; "--plan-only"; "--shards"; "2"; "--out"; d ]
                Expect.equal code 0 err
                let errorsOf (load: unit -> obj) = try load () |> ignore; [] with :? SpecValidationException as e -> [ for x in e.Errors -> x.ToString() ]
                let edited (file: string) (edit: JsonObject -> unit) (check: unit -> unit) =
                    let original = File.ReadAllText file
                    let o = JsonNode.Parse(original).AsObject()
                    edit o
                    File.WriteAllText(file, o.ToJsonString())
                    try check () finally File.WriteAllText(file, original)
                let planFile = Path.Combine(d, "plan.json")
                let plan = fun () -> box (SweepPlan.Load d)
                let known = "unknown field; known fields: format, name, sweepSha256, shards, replicates, seed, baseDirectory, sweep, parameters, variants, items, itemColumns, library, commit, allowOutsidePaths."
                for what, edit, expected in
                    [ "baseDirectory removed (a NullReferenceException before)", (fun (o: JsonObject) -> o.Remove "baseDirectory" |> ignore), [ "$.baseDirectory: is required (a string)." ]
                      "shards a string", (fun o -> o["shards"] <- n "\"2\""), [ "$.shards: expected a whole number in [1, 2147483647], got a string." ]
                      "sweep an array, an item a string, a shard a string, an unknown field",
                      (fun o -> o["sweep"] <- n "[]"; o["items"].[0] <- n "\"x\""; o["items"].[1].[4] <- n "\"a\""; o["colour"] <- n "1"),
                      [ "$.colour: " + known; "$.sweep: expected the sweep (an object), got an array."
                        "$.items[0]: expected an item [item, variant, replicate, seed, shard], got a string."; "$.items[1][4]: expected the item's shard (a whole number), got a string." ]
                      "another format", (fun o -> o["format"] <- n "\"other/1\""), [ "$.format: expected \"workbench-sweep-plan/1\", got \"other/1\": the file is not a workbench sweep plan." ]
                      "too many shards", (fun o -> o["shards"] <- n "99"), [ "$.shards: 99 is outside the valid range [1, 6] (the sweep has 6 items)." ]
                      "an item left out", (fun o -> o["items"].AsArray().RemoveAt 1), [ "$.items: lists 5 items; the sweep has 6." ] ] do
                    edited planFile edit (fun () ->
                        Expect.equal (errorsOf plan) [ for e in expected -> planFile + " " + e ] what
                        let code, _, err = run [ "sweep"; "status"; d ]
                        Expect.equal code 2 what
                        Expect.stringContains err (planFile + " " + List.head expected) what)
                let study = fun () -> box (SensitivityStudy.Load d)
                let sensFile = Path.Combine(d, "sensitivity.json")
                for what, edit, expected in
                    [ "samples removed (a NullReferenceException before)", (fun (o: JsonObject) -> o.Remove "samples" |> ignore), [ "$.samples: is required (a whole number in [2, 100000])." ]
                      "method unknown, metrics a number, levels odd", (fun o -> o["method"] <- n "\"fast\""; o["metrics"] <- n "[1]"),
                      [ "$.method: must be \"sobol\" or \"morris\"; got \"fast\"."; "$.metrics[0]: expected a string, got a number." ]
                      "levels odd, bootstrap negative, scenario a string", (fun o -> o["levels"] <- n "3"; o["bootstrap"] <- n "-1"; o["scenarioJson"] <- n "\"x\""),
                      [ "$.levels: must be an even number between 2 and 100; got 3."; "$.bootstrap: -1 is outside the valid range [0, 100000] (a whole number)."
                        "$.scenarioJson: expected the scenario (an object), got a string." ]
                      "the parameters file damaged", (fun o -> o["parameters"].["replicates"] <- n "0"), [ "$.parameters.replicates: must be a whole number between 1 and 1000; got 0." ]
                      "format a number, nothing else", (fun o -> o.Clear(); o["format"] <- n "5"), [ "$.format: expected \"workbench-sensitivity/1\", got 5: the file is not a Workbench sensitivity analysis." ] ] do
                    edited sensFile edit (fun () ->
                        Expect.equal (errorsOf study) [ for e in expected -> sensFile + " " + e ] what
                        let code, _, err = run [ "sensitivity"; "--analyse"; d ]
                        Expect.equal code 2 what
                        Expect.stringContains err (sensFile + " " + List.head expected) what)
                let code, _, err = run [ "sweep"; "run"; d; "--shard"; "0" ]
                Expect.equal code 0 err
                let manifest = Path.Combine(d, "shards", "0", "manifest.json")
                let hint = " The shard was damaged: delete its folder and rerun the shard."
                for what, edit, expected in
                    [ "rows a string, an item null", (fun (o: JsonObject) -> o["rows"] <- n "\"x\""; o["items"] <- n "[\"0\"]"),
                      [ "$.items[0]: expected a whole number in [0, 2147483647], got a string."; "$.rows: expected a whole number in [0, 2147483647], got a string." ]
                      "planSha256 removed", (fun o -> o.Remove "planSha256" |> ignore), [ "$.planSha256: is required (a string)." ] ] do
                    edited manifest edit (fun () ->
                        Expect.equal (errorsOf (fun () -> box (Sweep.Status d))) [ for e in expected -> manifest + " " + e + hint ] what
                        let code, _, err = run [ "sweep"; "status"; d ]
                        Expect.equal code 2 what
                        Expect.stringContains err (manifest + " " + List.head expected) what))
        }
        test "a damaged official result is a validation error naming the JSON path (before: FormatException or InvalidOperationException)" {
            let original =
                use s = typeof<Elections.OfficialElection>.Assembly.GetManifestResourceStream("Workbench.Official.denmark-2019.json")
                use r = new StreamReader(s)
                r.ReadToEnd()
            let errorsOf (edit: JsonObject -> unit) =
                let o = JsonNode.Parse(original).AsObject()
                edit o
                try Elections.OfficialElection.Parse(o.ToJsonString()) |> ignore; [] with :? SpecValidationException as e -> [ for x in e.Errors -> x.ToString() ]
            for what, edit, expected in
                [ "title a number (an InvalidOperationException before)", (fun (o: JsonObject) -> o["title"] <- n "5"), [ "$.title: expected a string, got a number." ]
                  "notes null", (fun o -> o["notes"] <- null), [ "$.notes: must not be null." ]
                  "an unknown field", (fun o -> o["colour"] <- n "1"), [ "$.colour: unknown field; expected one of id, title, date, rule, source, parties, officialSeats, officialValidVotes, notes, input." ]
                  "source a string", (fun o -> o["source"] <- n "\"x\""), [ "$.source: must be an object." ]
                  "the rule and the source's url left out", (fun o -> o.Remove "rule" |> ignore; o["source"].AsObject().Remove "url" |> ignore),
                  [ "$.rule: is required (a string)."; "$.source.url: is required (a string)." ]
                  "declared seats a string, null and for another party", (fun o -> o["officialSeats"].["A"] <- n "\"48\""; o["officialSeats"].AsObject().Remove "B" |> ignore; o["officialSeats"].["Z"] <- n "1"),
                  [ "$.officialSeats.A: expected the declared seats (a whole number in [0, 1000000]), got a string."
                    "$.officialSeats.B: is missing: every party of the input needs its declared seats."; "$.officialSeats.Z: is not a party of the input." ]
                  "a party's name a number", (fun o -> o["parties"].["A"] <- n "1"), [ "$.parties.A: expected the party's name (a string), got a number." ]
                  "the input's seats negative", (fun o -> o["input"].["seats"] <- n "-1"), [ "$.input.seats: must be a whole number in [0, 1000000]; got -1." ]
                  "valid votes off by one (a FormatException before)", (fun o -> o["officialValidVotes"] <- n (string (o["officialValidVotes"].GetValue<int64>() + 1L))),
                  [ sprintf "$.officialValidVotes: the party votes sum to %s but the published valid votes are %s; the transcription is wrong." ((3531720L).ToString("N0")) ((3531721L).ToString("N0")) ] ] do
                Expect.equal (errorsOf edit) expected what
        }
        test "a damaged run manifest is a validation error naming the field" {
            let msg = try RunManifest.Parse("""{"kind":"simulation","scenarioJson":{},"overrides":{"replicates":"x","seed":1,"voters":1000}}""") |> ignore; "" with :? SpecValidationException as e -> e.Message
            Expect.stringContains msg "$.overrides.replicates" "path"
        }
    ]

[<Tests>]
let schemaTests =
    testList "Json.Schema" [
        test "the committed schemas are the generated ones (run 'workbench schema --out schemas' after changing a format)" {
            let committed = Directory.GetFiles(repo "schemas", "*.schema.json") |> Array.map Path.GetFileName |> Array.sort
            let expected = FileFormats.All |> Seq.map (fun f -> f.Name + ".schema.json") |> Seq.sort |> Array.ofSeq
            Expect.equal committed expected "one schema per format, nothing else"
            for f in FileFormats.All do
                let generated = Json.JsonSchemas.ToText(FileFormats.SchemaDocument f.Name)
                Expect.equal (File.ReadAllText(repo $"schemas/{f.Name}.schema.json")) generated $"schemas/{f.Name}.schema.json is stale"
        }
        test "every shipped file names its schema, validates against it, and parses" {
            let mutable count = 0
            for KeyValue(format, files) in shipped do
                Expect.isNonEmpty files format
                for file in files do
                    let text = File.ReadAllText file
                    let declared = JsonNode.Parse(text).["$schema"].GetValue<string>()
                    Expect.equal (Path.GetFullPath(Path.Combine(Path.GetDirectoryName file, declared))) (repo $"schemas/{format}.schema.json" |> Path.GetFullPath) $"{file} names its schema"
                    Expect.isTrue (schemaAccepts format text) $"{file} validates against {format}.schema.json"
                    Expect.isNone (rejects format text (Path.GetDirectoryName file)) $"{file} parses"
                    count <- count + 1
            for name, input in officialInputs do
                Expect.isTrue (schemaAccepts "allocate-input" input) $"{name} input validates"
                Expect.isNone (rejects "allocate-input" input null) $"{name} input parses"
                count <- count + 1
            Expect.isTrue (schemaAccepts "indices-input" indicesExample && (rejects "indices-input" indicesExample null).IsNone) "indices example"
            printfn "Json.Schema: %d shipped files accepted by both schema and parser" (count + 1)
        }
        test "schema and parser agree on invalid files: both reject" {
            Expect.isGreaterThanOrEqual invalid.Length 20 "at least 20 invalid files"
            for format, what, json, dir in invalid do
                Expect.isFalse (schemaAccepts format json) $"{format}: {what}: the schema rejects it"
                Expect.isSome (rejects format json dir) $"{format}: {what}: the parser rejects it"
            printfn "Json.Schema: %d invalid files rejected by both schema and parser" invalid.Length
        }
    ]

// ---------------------------------------------------------------------------------------------------------------
// Fuzzing: mutations of the shipped examples of every format.

type private Mutation = { Example: int; Kind: int; Slot: int; Variant: int }

let private kinds = [| "wrong type"; "null"; "remove"; "duplicate key"; "extreme number"; "deep nesting"; "huge array"; "unknown key" |]
let private extremes = [| "1e400"; "-1e400"; "-0"; "-0.0"; "99999999999999999999999"; "2147483648"; "-2147483649"; "1e-400"; "0.5"; "-1"; "1.7976931348623157e308"; "5e-324"; "9007199254740993" |]
let private wrongs = [| "\"x\""; "5"; "true"; "[]"; "{}"; "2.5"; "\"\""; "-3" |]

/// Applies one mutation to a document (as text, so duplicate keys and deep nesting beyond the parser's limit can be made).
let private mutate (example: string) (m: Mutation) =
    let doc = JsonNode.Parse(example, documentOptions = JsonDocumentOptions(CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true))
    let slots = ResizeArray<JsonNode * Choice<string, int>>()
    let rec walk (node: JsonNode) =
        match node with
        | :? JsonObject as o -> for kv in Seq.toArray o do (slots.Add((o :> JsonNode, Choice1Of2 kv.Key)); if not (isNull kv.Value) then walk kv.Value)
        | :? JsonArray as a -> for i in 0 .. a.Count - 1 do (slots.Add((a :> JsonNode, Choice2Of2 i)); if not (isNull a[i]) then walk a[i])
        | _ -> ()
    walk doc
    let set (parent: JsonNode, key: Choice<string, int>) (v: JsonNode) =
        match parent, key with
        | (:? JsonObject as o), Choice1Of2 (k: string) -> o[k] <- v
        | (:? JsonArray as a), Choice2Of2 (i: int) -> a[i] <- v
        | _ -> ()
    let marker = "\"__mutation__\""
    let mutable replacement = None
    let slot = slots[m.Slot % slots.Count]
    match kinds[m.Kind % kinds.Length] with
    | "wrong type" -> set slot (JsonNode.Parse wrongs[m.Variant % wrongs.Length])
    | "null" -> set slot null
    | "remove" ->
        match slot with
        | (:? JsonObject as o), Choice1Of2 k -> o.Remove k |> ignore
        | (:? JsonArray as a), Choice2Of2 i -> a.RemoveAt i
        | _ -> ()
    | "extreme number" -> set slot (JsonValue.Create "__mutation__"); replacement <- Some extremes[m.Variant % extremes.Length]
    | "deep nesting" ->
        let d = [| 20; 63; 65; 300 |][m.Variant % 4]
        set slot (JsonValue.Create "__mutation__"); replacement <- Some (String.replicate d "[" + "1" + String.replicate d "]")
    | "huge array" ->
        let len = [| 1000; 50_000 |][m.Variant % 2]
        set slot (JsonValue.Create "__mutation__"); replacement <- Some ("[" + String.Join(",", Array.create len "0") + "]")
    | "unknown key" ->
        match slot with
        | (:? JsonObject as o), _ -> o["zzUnknown"] <- JsonValue.Create 1
        | _, _ -> doc.AsObject()["zzUnknown"] <- JsonValue.Create 1
    | _ -> ()
    let text = doc.ToJsonString()
    match kinds[m.Kind % kinds.Length], slot with
    | "duplicate key", (:? JsonObject, Choice1Of2 k) ->
        let key = JsonSerializer.Serialize k + ":"
        let at = text.IndexOf key
        if at >= 0 then text.Insert(at, key + wrongs[m.Variant % wrongs.Length] + ",") else text
    | _ -> match replacement with Some r -> text.Replace(marker, r) | None -> text

/// The examples of each format and the parser the fuzzer drives (anything but SpecValidationException is a failure).
let private fuzzFormats () =
    let files format = shipped[format] |> Array.map File.ReadAllText
    let manifest =
        let sc = Scenario.Builtin("classroom").With(replicates = 1, voters = 1000)
        (Simulation.Run(sc, 1)).Manifest().ToJsonString()
    let sweepManifest = JsonObject(dict [ "kind", JsonValue.Create "sweep" :> JsonNode; "sweepJson", JsonNode.Parse(File.ReadAllText(repo "tests/sweeps/small.json")); "library", JsonValue.Create "0.1.0" ]).ToJsonString()
    [ "allocate", Array.map snd officialInputs, (fun (j: string) -> Elections.ElectionJson.Parse j |> ignore)
      "indices", [| indicesExample; """{"votes":{"A":5,"B":3},"seats":{"A":1,"B":1}}""" |], (fun j -> Elections.ElectionJson.ComputeIndices j |> ignore)
      "electorate spec", files "electorate-spec", (fun j -> Electorate.ElectorateSpec.FromJson(j).EnsureValid() |> ignore)
      "regime", files "regime", (fun j -> Data.DataRegime.FromJson j |> ignore)
      "scenario", files "scenario", (fun j -> Scenario.Parse(j, scenarioDir) |> ignore)
      "sweep", files "sweep", (fun j -> SweepSpec.Parse(j, repo "notebooks/sweeps") |> ignore)
      "manifest", [| manifest; sweepManifest |], (fun j -> RunManifest.Parse j |> ignore)
      "workshop card", files "workshop-card", (fun j -> WorkshopCard.Parse(j, cardsDir) |> ignore) ]

/// Inputs per format: 120 by default; WORKBENCH_FUZZ_COUNT raises it for a soak run (docs/file-formats.md).
let private perFormat =
    match Environment.GetEnvironmentVariable "WORKBENCH_FUZZ_COUNT" with
    | null | "" -> 120
    | s -> int s

/// The FsCheck seed: fixed, so the default run is the same every time; WORKBENCH_FUZZ_SEED picks another (soak runs).
let private fuzzSeed =
    match Environment.GetEnvironmentVariable "WORKBENCH_FUZZ_SEED" with
    | null | "" -> 20260UL
    | s -> uint64 s

let private mutationGen (examples: int) =
    gen {
        let! e = Gen.choose (0, examples - 1)
        let! k = Gen.choose (0, kinds.Length - 1)
        let! s = Gen.choose (0, 100_000)
        let! v = Gen.choose (0, 1000)
        return { Example = e; Kind = k; Slot = s; Variant = v }
    }

[<Tests>]
let fuzzTests =
    testSequenced <| testList "Json.Fuzz" [
        test "every parser accepts a mutated example or throws only SpecValidationException, each within 10 s" {
            let total = ref 0
            let clock = Diagnostics.Stopwatch.StartNew()
            for name, examples, parser in fuzzFormats () do
                let count = ref 0
                let accepted = ref 0
                let property =
                    Prop.forAll (Arb.fromGen (mutationGen examples.Length)) (fun m ->
                        let input = mutate examples[m.Example] m
                        count.Value <- count.Value + 1
                        let sw = Diagnostics.Stopwatch.StartNew()
                        let outcome =
                            try parser input; "accepted"
                            with
                            | :? SpecValidationException -> "rejected"
                            | ex -> failwithf "%s: %s %A on a mutated input (%s): %s\n%s" name (ex.GetType().Name) m kinds[m.Kind % kinds.Length] ex.Message (if input.Length > 2000 then input[..2000] + "..." else input)
                        if sw.Elapsed.TotalSeconds > 10.0 then failwithf "%s: %A took %.1f s" name m sw.Elapsed.TotalSeconds
                        if outcome = "accepted" then accepted.Value <- accepted.Value + 1
                        outcome <> "")
                let replay = { Rnd = Rnd(fuzzSeed + uint64 (name |> Seq.sumBy int), 0x9E3779B97F4A7C15UL); Size = None }
                Check.One(Config.QuickThrowOnFailure.WithMaxTest(perFormat).WithQuietOnSuccess(true).WithReplay(Some replay), property)
                printfn "Json.Fuzz: %s: %d generated inputs (%d accepted, %d rejected with SpecValidationException)" name count.Value accepted.Value (count.Value - accepted.Value)
                total.Value <- total.Value + count.Value
            printfn "Json.Fuzz: %d generated inputs in all (%d per format, seed %d; WORKBENCH_FUZZ_COUNT and WORKBENCH_FUZZ_SEED change them) in %.1f s" total.Value perFormat fuzzSeed clock.Elapsed.TotalSeconds
        }
        test "the CLI exits 0, 1 or 2 without a stack trace on 30 mutated inputs" {
            let dir = Cli.tempDir ()
            try
                let rnd = Random 20260
                let scenarios = shipped["scenario"] |> Array.map File.ReadAllText
                let mutable runs = 0
                for i in 0 .. 29 do
                    let m = { Example = rnd.Next 100; Kind = rnd.Next kinds.Length; Slot = rnd.Next 100_000; Variant = rnd.Next 1000 }
                    let args =
                        if i % 2 = 0 then
                            let f = Path.Combine(dir, $"s{i}.json")
                            File.WriteAllText(f, mutate scenarios[m.Example % scenarios.Length] m)
                            [ "simulate"; f; "--replicates"; "1"; "--voters"; "1000"; "--threads"; "1" ]
                        else
                            let f = Path.Combine(dir, $"a{i}.json")
                            File.WriteAllText(f, mutate (snd officialInputs[m.Example % officialInputs.Length]) m)
                            [ "allocate"; f ]
                    let code, _, err = Cli.run args
                    Expect.contains [ 0; 1; 2 ] code $"exit code of {args} ({err})"
                    Expect.isFalse (err.Contains "   at " || err.Contains "Unhandled exception") $"no stack trace: {err}"
                    runs <- runs + 1
                printfn "Json.Fuzz: %d CLI runs on mutated inputs" runs
            finally Directory.Delete(dir, true)
        }
    ]

[<Tests>]
let citationVersion =
    test "Json.Citation.CITATION.cff and CHANGELOG.md name the library's version" {
        let version = typeof<Workbench.Experiments.Scenario>.Assembly.GetName().Version
        let v = sprintf "%d.%d.%d" version.Major version.Minor version.Build
        let cff = File.ReadAllLines(repo "CITATION.cff")
        Expect.contains cff ("version: " + v) (sprintf "CITATION.cff says version %s" v)
        Expect.stringContains (File.ReadAllText(repo "CHANGELOG.md")) ("## " + v + " ") "the changelog has an entry for it"
    }
