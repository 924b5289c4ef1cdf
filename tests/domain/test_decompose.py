"""LMDI and restatement attribution. Expected values worked by hand (calculator logs)."""

from decimal import Decimal

from tracker.domain.decompose import LineVersion, explain_restatement, lmdi, log_mean

D = Decimal
EXACT = D("1e-9")  # kg; the brief's requirement for the LMDI sum


def test_log_mean() -> None:
    # L(e, 1) = (e − 1) / (1 − 0) = e − 1 ≈ 1.718282
    assert abs(log_mean(D(1).exp(), D(1)) - D("1.718282")) < D("1e-6")
    assert log_mean(D(7), D(7)) == D(7)


def test_single_category_volume_and_intensity() -> None:
    # S 100 → 200 (ln 2 = 0.693147), E 100 → 300, I 1 → 1.5 (ln 1.5 = 0.405465)
    # L(300, 100) = 200 / ln 3 = 200 / 1.098612 = 182.047845
    # volume = 182.047845 × 0.693147 = 126.185951; intensity = × 0.405465 = 73.814049
    r = lmdi({"A": (D(100), D(100))}, {"A": (D(200), D(300))})
    assert abs(r.volume - D("126.185951")) < D("1e-5")
    assert abs(r.intensity - D("73.814049")) < D("1e-5")
    assert abs(r.mix) < EXACT  # one category: share stays 1
    assert r.new_ended == 0
    assert abs(r.volume + r.mix + r.intensity - D(200)) < EXACT


def test_two_categories_plus_new_and_ended() -> None:
    # year 0: A (S 100, E 100), B (S 100, E 300), D (S 50, E 50)   Q0 = 250, E0 = 450
    # year 1: A (S 150, E 150), B (S  50, E 200), C (S 100, E 40)  Q1 = 300, E1 = 390
    # ln(Q1/Q0) = ln 1.2 = 0.182322
    # A: L(150,100) = 50/ln 1.5 = 123.315173; shares 0.4 → 0.5: ln 1.25 = 0.223144; I 1 → 1
    #    volume 22.483014, mix 27.516986, intensity 0
    # B: L(200,300) = 100/ln 1.5 = 246.630346; shares 0.4 → 1/6: ln(0.416667) = −0.875469;
    #    I 3 → 4: ln(4/3) = 0.287682
    #    volume 44.966029, mix −215.917158, intensity 70.951129
    # C new (+40), D ended (−50): new_ended = −10
    # totals: volume 67.449043, mix −188.400172, intensity 70.951129
    # check: 67.449043 − 188.400172 + 70.951129 − 10 = −60.000000 = 390 − 450
    y0 = {"A": (D(100), D(100)), "B": (D(100), D(300)), "D": (D(50), D(50))}
    y1 = {"A": (D(150), D(150)), "B": (D(50), D(200)), "C": (D(100), D(40))}
    r = lmdi(y0, y1)
    tol = D("1e-5")
    assert abs(r.volume - D("67.449043")) < tol
    assert abs(r.mix - D("-188.400172")) < tol
    assert abs(r.intensity - D("70.951129")) < tol
    assert r.new_ended == D(-10)
    assert r.difference == D(-60)
    # the sum matches E1 − E0 to far better than 1e-9 kg (Decimal ln at 40 digits)
    assert abs(r.residual) < EXACT
    assert abs(r.volume + r.mix + r.intensity + r.new_ended - D(-60)) < EXACT


def test_non_positive_values_go_to_new_ended() -> None:
    # B's net emissions are negative in year 0 (credits) → its whole change, 50 − (−20) = 70,
    # is new_ended; A is unchanged → all effects 0
    r = lmdi({"A": (D(10), D(10)), "B": (D(5), D(-20))}, {"A": (D(10), D(10)), "B": (D(5), D(50))})
    # Q unchanged (15 → 15) and A's share unchanged → volume = mix = intensity = 0
    assert (r.volume, r.mix, r.intensity, r.new_ended) == (D(0), D(0), D(0), D(70))


def line(s: str, c: str, f: str, d: str, kg: str, fx: str = "1") -> LineVersion:
    return LineVersion(D(s), c, D(f), D(d), D(kg), D(fx))


OLD = {
    "L1": line("100", "A", "0.5", "1", "50"),
    "L2": line("200", "A", "0.5", "1", "100"),
    "L3": line("100", "A", "0.5", "1", "50"),
    "L4": line("100", "B", "0.7", "1", "87.5", fx="1.25"),
    "L5": line("60", "A", "0.5", "1", "30"),
    "L6": line("3.333", "A", "0.5", "1", "1.6665"),
    "L8": line("50", "B", "0.7", "1", "35"),
}
NEW = {
    "L1": line("120", "A", "0.5", "1", "60"),  # spend +20
    "L2": line("200", "B", "0.8", "1", "160"),  # A → B, new edition
    "L3": line("100", "A", "0.5", "0.9", "45"),  # deflator 1 → 0.9
    "L4": line("100", "B", "0.7", "1", "84", fx="1.2"),  # fx 1.25 → 1.2
    "L6": line("3.333", "A", "0.5", "1", "1.67"),  # stored kg rounded to 2 dp
    "L7": line("40", "B", "0.8", "1", "32"),  # new line
    "L8": line("50", "B", "0.75", "1", "37.5"),  # factor 0.7 → 0.75
}


def test_restatement_every_part() -> None:
    # new_lines          L7: +32
    # removed_lines      L5: −30
    # spend              L1: (120 − 100) × 1 × 1 × 0.5 = 10
    # reclassification   L2: 200 × (0.7 − 0.5) = 40           (old factor for B = 0.7)
    # factor             L2: 200 × (0.8 − 0.7) = 20; L8: 50 × (0.75 − 0.7) = 2.5 → 22.5
    # price_year         L3: 100 × (0.9 − 1) × 0.5 = −5
    # exchange_rate      L4: 100 × (1.2 − 1.25) × 1 × 0.7 = −3.5
    # other              L6: (1.67 − 1.6665) − (1.6665 − 1.6665) = 0.0035
    # Σ old = 50 + 100 + 50 + 87.5 + 30 + 1.6665 + 35 = 354.1665
    # Σ new = 60 + 160 + 45 + 84 + 1.67 + 32 + 37.5 = 420.17 → difference 66.0035
    # parts: 32 − 30 + 10 + 40 + 22.5 − 5 − 3.5 + 0.0035 = 66.0035
    r = explain_restatement(OLD, NEW, old_factors={"B": D("0.7")})
    assert r.parts() == {
        "new_lines": D(32),
        "removed_lines": D(-30),
        "spend": D(10),
        "reclassification": D(40),
        "factor": D("22.5"),
        "price_year": D(-5),
        "exchange_rate": D("-3.5"),
        "other": D("0.0035"),
    }
    assert r.difference == D("66.0035")
    assert r.unexplained == 0  # exact, not approximately
    assert r.in_tonnes()["reclassification"] == D("0.04")
    assert r.in_tonnes()["difference"] == D("0.0660035")


def test_restatement_without_old_factor_for_new_category() -> None:
    # L2's whole factor change 200 × (0.8 − 0.5) = 60 is reclassification; factor keeps L8's 2.5
    r = explain_restatement(OLD, NEW)
    assert (r.reclassification, r.factor) == (D(60), D("2.5"))
    assert r.unexplained == 0


def test_chained_order_on_one_line() -> None:
    # S 100 → 200, f 0.5 → 0.6, d 1 → 0.5 (same category); kg 50 → 60
    # spend 100 × 1 × 0.5 = 50; factor 200 × 1 × 0.1 = 20; price 200 × (−0.5) × 0.6 = −60
    # 50 + 20 − 60 = 10 = 60 − 50
    r = explain_restatement(
        {"x": line("100", "A", "0.5", "1", "50")}, {"x": line("200", "A", "0.6", "0.5", "60")}
    )
    assert (r.spend, r.factor, r.price_year, r.reclassification) == (D(50), D("20.0"), D(-60), D(0))
    assert r.difference == D(10) and r.unexplained == 0
