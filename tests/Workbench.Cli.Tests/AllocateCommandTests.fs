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
