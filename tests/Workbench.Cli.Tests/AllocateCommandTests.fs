module Workbench.Cli.Tests.AllocateCommandTests

open System.IO
open System.Text.Json
open Expecto

let private withFile (json: string) f =
    let dir = Cli.tempDir ()
    let path = Path.Combine(dir, "in.json")
    File.WriteAllText(path, json)
    try f path finally Directory.Delete(dir, true)

[<Tests>]
let tests =
    testList "Cli.Allocate" [
        test "allocate prints seats, districts, ties, tieBreak and indices" {
            withFile """{"method":"dhondt","seats":7,"votes":{"A":340000,"B":280000,"C":160000,"D":60000,"E":15000}}""" (fun path ->
                let code, out, err = Cli.run [ "allocate"; path ]
                Expect.equal code 0 err
                use doc = JsonDocument.Parse out
                let r = doc.RootElement
                let seats = [ for p in [ "A"; "B"; "C"; "D"; "E" ] -> r.GetProperty("seats").GetProperty(p).GetInt32() ]
                Expect.equal seats [ 3; 3; 1; 0; 0 ] "D'Hondt seats"
                Expect.equal (r.GetProperty("tieBreak").GetString()) "more-votes" "tieBreak"
                Expect.equal (r.GetProperty("ties").GetArrayLength()) 0 "no ties"
                for k in [ "gallagher"; "loosemoreHanby"; "enpVotes"; "enpSeats" ] do
                    Expect.isTrue (fst (r.GetProperty("indices").TryGetProperty k)) k
                Expect.isFalse (fst (r.GetProperty("indices").TryGetProperty "efficiencyGap")) "no EG with 5 parties")
        }
        test "efficiencyGap appears with exactly two parties" {
            withFile """{"method":"fptp","districts":[{"name":"1","votes":{"A":53,"B":47}},{"name":"2","votes":{"A":30,"B":70}}]}""" (fun path ->
                let code, out, err = Cli.run [ "allocate"; path ]
                Expect.equal code 0 err
                use doc = JsonDocument.Parse out
                Expect.isTrue (fst (doc.RootElement.GetProperty("indices").TryGetProperty "efficiencyGap")) "EG")
        }
        test "indices command" {
            withFile """{"votes":{"A":50,"B":30,"C":20},"seats":{"A":6,"B":3,"C":1}}""" (fun path ->
                let code, out, err = Cli.run [ "indices"; path ]
                Expect.equal code 0 err
                use doc = JsonDocument.Parse out
                Expect.floatClose Accuracy.medium (doc.RootElement.GetProperty("gallagher").GetDouble()) 10.0 "Gallagher 10")
        }
        for (name, json, field) in
            [ "negative votes", """{"method":"dhondt","seats":3,"votes":{"A":-5,"B":10}}""", "$.votes.A"
              "unknown method", """{"method":"borda","seats":3,"votes":{"A":5,"B":10}}""", "$.method"
              "negative seats", """{"method":"dhondt","seats":-1,"votes":{"A":5,"B":10}}""", "$.seats"
              "district without seats", """{"method":"dhondt","districts":[{"name":"X","votes":{"A":5}}]}""", "$.districts[0].seats"
              "unknown field", """{"method":"dhondt","seats":3,"votez":{"A":5}}""", "$.votez"
              "not JSON", """{"method":""", "$" ] do
            test $"invalid input: {name} -> exit 2 naming {field}" {
                withFile json (fun path ->
                    let code, _, err = Cli.run [ "allocate"; path ]
                    Expect.equal code 2 "exit 2"
                    Expect.stringContains err field "names the field")
            }
        test "a missing file is exit 2" {
            let code, _, err = Cli.run [ "allocate"; "/nonexistent/in.json" ]
            Expect.equal code 2 "exit 2"
            Expect.stringContains err "does not exist" "message"
        }
    ]

/// { "P0": v, "P1": v, ... } for n parties (built by hand: fast for millions).
let private partyVotes (n: int) (v: int64) =
    let sb = System.Text.StringBuilder("{")
    for i in 0 .. n - 1 do (if i > 0 then sb.Append(',') else sb).Append("\"P").Append(i).Append("\":").Append(v) |> ignore
    sb.Append('}').ToString()

let private districtsOf (n: int) (district: int -> string) = "[" + String.concat "," (Seq.init n district) + "]"

/// Bad and extreme inputs for `allocate` and `indices`: (name, command, JSON, expected exit code, JSON path the
/// message must name for exit 2). Each ran into a crash, a hang, a silent wrong answer or a path-less message before.
let private robustness : (string * string * (unit -> string) * int * string) list =
    let big = 1_000_000_000_000_000L
    [ "10,000 parties of 10^15 votes with a threshold (total beyond 64 bits)", "allocate",
        (fun () -> $"""{{"method":"dhondt","seats":100,"threshold":{{"share":0.0001}},"votes":{partyVotes 10_000 big}}}"""), 0, ""
      "10,000 parties of 10^15 votes, Hare", "allocate", (fun () -> $"""{{"method":"hare","seats":100,"votes":{partyVotes 10_000 big}}}"""), 0, ""
      "1,000,000 parties and 1,000 seats", "allocate", (fun () -> $"""{{"method":"sainte-lague","seats":1000,"votes":{partyVotes 1_000_000 12345L}}}"""), 0, ""
      "2,400,000 parties (over the limit)", "allocate", (fun () -> $"""{{"method":"dhondt","seats":1000,"votes":{partyVotes 2_400_000 5L}}}"""), 2, "$.votes"
      "100,001 districts", "allocate", (fun () -> $"""{{"method":"dhondt","districts":{districtsOf 100_001 (fun _ -> "{\"seats\":1,\"votes\":{\"A\":1}}")}}}"""), 2, "$.districts"
      "parties × districts over 10^7", "allocate",
        (fun () -> $"""{{"method":"dhondt","districts":{districtsOf 1_001 (fun k -> if k = 0 then $"{{\"seats\":1,\"votes\":{partyVotes 10_000 1L}}}" else "{\"seats\":1,\"votes\":{\"P0\":1}}")}}}"""), 2, "$.districts"
      "district seats adding up to more than 1,000,000", "allocate",
        (fun () -> """{"method":"dhondt","districts":[{"seats":600000,"votes":{"A":1}},{"seats":600000,"votes":{"A":1}}]}"""), 2, "$.districts"
      "a party's votes over districts above 10^18", "allocate",
        (fun () -> $"""{{"method":"dhondt","districts":{districtsOf 1_001 (fun _ -> "{\"seats\":1,\"votes\":{\"A\":1000000000000000,\"B\":1}}")}}}"""), 2, "$.districts"
      "an apportioned district with more than 10^18 valid votes", "allocate",
        (fun () -> $"""{{"method":"dhondt","seats":5,"apportionment":{{"method":"hare"}},"districts":[{{"votes":{partyVotes 1_001 big}}}]}}"""), 2, "$.districts[0].votes"
      "duplicate party", "allocate", (fun () -> """{"method":"dhondt","seats":3,"votes":{"A":5,"A":6}}"""), 2, "$.votes: the key 'A' appears twice"
      "no parties", "allocate", (fun () -> """{"method":"dhondt","seats":3,"votes":{}}"""), 2, "$.votes"
      "seats 0", "allocate", (fun () -> """{"method":"dhondt","seats":0,"votes":{"A":5,"B":6}}"""), 0, ""
      "seats 1.5", "allocate", (fun () -> """{"method":"dhondt","seats":1.5,"votes":{"A":5}}"""), 2, "$.seats"
      "seats 2,000,000", "allocate", (fun () -> """{"method":"dhondt","seats":2000000,"votes":{"A":5}}"""), 2, "$.seats"
      "all votes zero", "allocate", (fun () -> """{"method":"sainte-lague","seats":3,"votes":{"A":0,"B":0}}"""), 0, ""
      "votes 1e400", "allocate", (fun () -> """{"method":"dhondt","seats":3,"votes":{"A":1e400}}"""), 2, "$.votes.A"
      "votes above 10^15", "allocate", (fun () -> """{"method":"dhondt","seats":3,"votes":{"A":2e15}}"""), 2, "$.votes.A"
      "fractional votes", "allocate", (fun () -> """{"method":"dhondt","seats":3,"votes":{"A":2.5}}"""), 2, "$.votes.A"
      "votes as a string", "allocate", (fun () -> """{"method":"dhondt","seats":3,"votes":{"A":"7"}}"""), 2, "$.votes.A"
      "blank votes negative", "allocate", (fun () -> """{"method":"dhondt","seats":3,"blank":-1,"votes":{"A":7}}"""), 2, "$.blank"
      "threshold share above 100%", "allocate", (fun () -> """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"share":1.5}}"""), 2, "$.threshold.share"
      "threshold quota negative", "allocate", (fun () -> """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"quota":-1}}"""), 2, "$.threshold.quota"
      "threshold exempt not an array", "allocate", (fun () -> """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"exempt":"A"}}"""), 2, "$.threshold.exempt"
      "threshold partyShares not an object", "allocate", (fun () -> """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"partyShares":[0.1]}}"""), 2, "$.threshold.partyShares"
      "threshold excluding every party", "allocate", (fun () -> """{"method":"dhondt","seats":3,"votes":{"A":7,"B":3},"threshold":{"share":0.9}}"""), 0, ""
      "firstDivisor 5 (above the second divisor)", "allocate", (fun () -> """{"method":"modified-sainte-lague","firstDivisor":5,"seats":3,"votes":{"A":7}}"""), 2, "$.firstDivisor"
      "firstDivisor 0", "allocate", (fun () -> """{"method":"modified-sainte-lague","firstDivisor":0,"seats":3,"votes":{"A":7}}"""), 2, "$.firstDivisor"
      "seed -1", "allocate", (fun () -> """{"method":"dhondt","seats":3,"votes":{"A":7},"seed":-1}"""), 2, "$.seed"
      "method as a number", "allocate", (fun () -> """{"method":3,"seats":3,"votes":{"A":7}}"""), 2, "$.method"
      "unknown tieBreak", "allocate", (fun () -> """{"method":"dhondt","seats":3,"votes":{"A":7},"tieBreak":"coin"}"""), 2, "$.tieBreak"
      "empty districts", "allocate", (fun () -> """{"method":"dhondt","districts":[]}"""), 2, "$.districts"
      "a district that is not an object", "allocate", (fun () -> """{"method":"dhondt","districts":[3]}"""), 2, "$.districts[0]"
      "a district name that is a number", "allocate", (fun () -> """{"method":"dhondt","districts":[{"name":4,"seats":1,"votes":{"A":1}}]}"""), 2, "$.districts[0].name"
      "fptp district with 2 seats", "allocate", (fun () -> """{"method":"fptp","districts":[{"seats":2,"votes":{"A":1,"B":2}}]}"""), 2, "$.districts[0].seats"
      "total seats fewer than the districts already have", "allocate",
        (fun () -> """{"method":"dhondt","seats":3,"apportionment":{"method":"hare"},"districts":[{"seats":5,"votes":{"A":1}},{"votes":{"A":1}}]}"""), 2, "$.seats"
      "Droop quota with fewer votes than seats", "allocate", (fun () -> """{"method":"droop","seats":10,"votes":{"A":2,"B":1}}"""), 2, "$.seats"
      "MMP leveling with a constituency winner without list votes", "allocate",
        (fun () -> """{"method":"sainte-lague","system":"mmp","seats":10,"overhang":"level","votes":{"A":600,"B":400},"constituencySeats":{"A":6,"B":1,"C":2}}"""), 0, ""
      "MMP leveling beyond 1,000,000 seats", "allocate",
        (fun () -> """{"method":"dhondt","system":"mmp","seats":10,"overhang":"level","votes":{"A":1000000000000,"B":1},"constituencySeats":{"A":1,"B":50}}"""), 2, "$.overhang"
      "MMP house smaller than the constituency seats outside the list allocation", "allocate",
        (fun () -> """{"method":"dhondt","system":"mmp","seats":2,"votes":{"A":90,"B":10},"threshold":{"share":0.5},"constituencySeats":{"A":0,"B":5}}"""), 2, "$.seats"
      "constituencySeats not an object", "allocate", (fun () -> """{"method":"dhondt","system":"mmp","seats":5,"votes":{"A":9},"constituencySeats":[1]}"""), 2, "$.constituencySeats"
      "two-round without the needed second round", "allocate",
        (fun () -> """{"method":"fptp","system":"two-round","districts":[{"votes":{"A":40,"B":35,"C":25}}]}"""), 2, "$.districts[0].secondRound"
      "secondRound not an object", "allocate",
        (fun () -> """{"method":"fptp","system":"two-round","districts":[{"votes":{"A":40,"B":60},"secondRound":5}]}"""), 2, "$.districts[0].secondRound"
      "JSON nested too deep", "allocate", (fun () -> String.replicate 100 "[" + String.replicate 100 "]"), 2, "$"
      "a JSON array instead of an object", "allocate", (fun () -> "[1,2]"), 2, "$"
      "indices: empty districts", "indices", (fun () -> """{"votes":{"A":5,"B":6},"seats":{"A":1,"B":1},"districts":[]}"""), 2, "$.districts"
      "indices: districts not an array", "indices", (fun () -> """{"votes":{"A":5,"B":6},"seats":{"A":1,"B":1},"districts":{"A":1}}"""), 2, "$.districts"
      "indices: a district naming another party", "indices", (fun () -> """{"votes":{"A":5,"B":6},"seats":{"A":1,"B":1},"districts":[{"A":1,"C":2}]}"""), 2, "$.districts[0].C"
      "indices: negative seats", "indices", (fun () -> """{"votes":{"A":5},"seats":{"A":-1}}"""), 2, "$.seats.A"
      "indices: seats adding up to more than 1,000,000", "indices", (fun () -> """{"votes":{"A":5,"B":1,"C":1},"seats":{"A":600000,"B":600000,"C":0}}"""), 2, "$.seats"
      "indices: votes as a string", "indices", (fun () -> """{"votes":{"A":"5"},"seats":{"A":1}}"""), 2, "$.votes.A"
      "indices: duplicate party", "indices", (fun () -> """{"votes":{"A":5,"A":5},"seats":{"A":1}}"""), 2, "$.votes: the key 'A' appears twice"
      "indices: no parties at all", "indices", (fun () -> """{"votes":{},"seats":{}}"""), 0, ""
      "indices: 1e400 votes", "indices", (fun () -> """{"votes":{"A":1e400},"seats":{"A":1}}"""), 2, "$.votes.A" ]

[<Tests>]
let robustnessTests =
    testList "Cli.Allocate robustness" [
        for name, command, json, expected, field in robustness do
            let naming = if field = "" then "" else " naming " + field
            test $"{command}: {name} -> exit {expected}{naming}" {
                withFile (json ()) (fun path ->
                    // In process, as every CLI test; an exception escaping Main is a crash, and a hang fails after 120 s.
                    let run = System.Threading.Tasks.Task.Run(fun () -> Cli.run [ command; path ])
                    if not (run.Wait(System.TimeSpan.FromSeconds 120.0)) then failtest "did not finish within 120 s"
                    let code, _, err = run.Result
                    Expect.isTrue (code = 0 || code = 2) $"exit code {code} is 0 or 2"
                    Expect.isFalse (err.Contains "Unhandled exception") "no unhandled exception"
                    Expect.isFalse (err.Contains "   at ") "no stack trace"
                    Expect.equal code expected err
                    if field <> "" then Expect.stringContains err field "names the JSON path")
            }
    ]

[<Tests>]
let official =
    testList "Cli.Official" [
        test "official recomputes every shipped real election and all match their declared seats" {
            let code, out, err = Cli.run [ "official" ]
            Expect.equal code 0 err
            use doc = JsonDocument.Parse out
            let rows = [ for e in doc.RootElement.EnumerateArray() -> e.GetProperty("id").GetString(), e.GetProperty("matches").GetBoolean() ]
            Expect.isGreaterThanOrEqual rows.Length 6 "six or more"
            Expect.all rows snd "every recomputation matches"
        }
        test "official ID prints the party-by-party comparison with its source" {
            let code, out, err = Cli.run [ "official"; "new-zealand-2017" ]
            Expect.equal code 0 err
            use doc = JsonDocument.Parse out
            let r = doc.RootElement
            Expect.stringStarts (r.GetProperty("source").GetProperty("url").GetString()) "https://electionresults.govt.nz/" "source"
            let labour = r.GetProperty("parties").EnumerateArray() |> Seq.find (fun p -> p.GetProperty("party").GetString() = "Labour Party")
            Expect.equal (labour.GetProperty("officialSeats").GetInt32(), labour.GetProperty("recomputedSeats").GetInt32()) (46, 46) "Labour 46"
        }
        test "official ID --input is an allocate input that reproduces the declared seats" {
            let code, input, err = Cli.run [ "official"; "denmark-2019"; "--input" ]
            Expect.equal code 0 err
            withFile input (fun path ->
                let code, out, err = Cli.run [ "allocate"; path ]
                Expect.equal code 0 err
                use doc = JsonDocument.Parse out
                let seats = doc.RootElement.GetProperty("seats")
                Expect.equal [ for p in [ "A"; "V"; "D"; "P" ] -> seats.GetProperty(p).GetInt32() ] [ 48; 43; 4; 0 ] "Danmarks Statistik: A 48, V 43, D 4, P 0")
        }
        test "an unknown official election is exit 2 naming the shipped ones" {
            let code, _, err = Cli.run [ "official"; "atlantis-2020" ]
            Expect.equal code 2 "exit 2"
            Expect.stringContains err "denmark-2019" "lists the shipped results"
        }
    ]
