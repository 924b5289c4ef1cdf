# ruff: noqa: E501  (the CODES table keeps one merchant category per line)
"""Build ``factors/crosswalks/mcc_to_defra.csv``: merchant category codes → Defra group.

Merchant category codes (MCC) are defined by ISO 18245 ("Retail financial services —
Merchant category codes") and published with their titles in the card schemes' merchant
guides (e.g. the Visa Merchant Data Standards Manual, Mastercard Quick Reference Booklet).
The codes and titles below are those facts, written in our words where a scheme's title is
long; the Defra group, Scope 3 category, exclusion and confidence are authored by this
project (see ``mcc_to_defra.md``).

The code blocks reserved for individual travel and entertainment merchants are expanded
row by row so any code found on a card statement is present: 3000-3302 airlines (group 51),
3351-3441 car rental (77), 3501-3999 lodging (55). A few well-known codes in those blocks
carry the merchant's name.

Authoring format, one line per code: ``code|title|target|confidence[|note]`` where target is
a Defra group (``/2`` suffix = Scope 3 category 2) or ``x:reason[>if_included]``.

Run: ``python -m factors.build.mcc_crosswalk [--out FILE]``. Output is deterministic.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from factors.build._common import csv_bytes
from factors.classification import CROSSWALK_DIR, TARGET_COLUMNS, load_exclusions, parse_target

OUTPUT = CROSSWALK_DIR / "mcc_to_defra.csv"
HEADER = ("mcc", "mcc_title", *TARGET_COLUMNS)

RANGES: tuple[tuple[int, int, str, str], ...] = (
    (3000, 3302, "Airlines and air carriers (carrier-specific code)", "51"),
    (3351, 3441, "Car rental agencies (company-specific code)", "77"),
    (3501, 3999, "Lodging - hotels, motels and resorts (chain-specific code)", "55"),
)
NAMED: dict[str, str] = {
    "3007": "Air France",
    "3008": "Lufthansa",
    "3010": "KLM Royal Dutch Airlines",
    "3043": "Aer Lingus",
    "3245": "easyJet",
    "3246": "Ryanair",
    "3501": "Holiday Inns",
}

CODES = """\
0742|Veterinary Services|75|high
0763|Agricultural Cooperatives|1|medium
0780|Landscaping and Horticultural Services|81|high
1520|General Contractors - Residential and Commercial|41.2|medium
1711|Heating, Plumbing and Air-Conditioning Contractors|42.99|high
1731|Electrical Contractors|42.99|high
1740|Masonry, Stonework, Tile-Setting, Plastering and Insulation Contractors|42.99|high
1750|Carpentry Contractors|42.99|high
1761|Roofing, Siding and Sheet Metal Work Contractors|42.99|high
1771|Concrete Work Contractors|42.99|high
1799|Special Trade Contractors - Not Elsewhere Classified|42.99|medium
2741|Miscellaneous Publishing and Printing|18|medium
2791|Typesetting, Platemaking and Related Services|18|high
2842|Specialty Cleaning, Polishing and Sanitation Preparations|20.4|high
4011|Railroads (freight)|49.1-2|medium
4111|Local and Suburban Commuter Passenger Transportation, including Ferries|49.3-5|medium
4112|Passenger Railways|49.1-2|high
4119|Ambulance Services|86|high
4121|Taxicabs and Limousines|49.3-5|high
4131|Bus Lines|49.3-5|high
4214|Motor Freight Carriers and Trucking - Local and Long Distance, Moving and Storage Companies, Local Delivery|49.3-5|high
4215|Courier Services - Air and Ground, Freight Forwarders|53|high
4225|Public Warehousing and Storage|52|high
4411|Steamship and Cruise Lines|50|high
4457|Boat Rentals and Leasing|77|high
4468|Marinas, Marine Service and Supplies|52|medium
4511|Airlines and Air Carriers (not elsewhere classified)|51|high
4582|Airports, Flying Fields and Airport Terminals|52|high
4722|Travel Agencies and Tour Operators|79|high
4723|Package Tour Operators|79|high
4761|Telemarketing of Travel-Related Arrangement Services|79|medium
4784|Tolls and Bridge Fees|52|high
4789|Transportation Services - Not Elsewhere Classified|49.3-5|medium
4812|Telecommunication Equipment and Telephone Sales|26|high
4813|Key-entry Telecom Merchant providing single local and long-distance phone calls|61|high
4814|Telecommunication Services|61|high
4815|Monthly Summary Telephone Charges|61|high
4816|Computer Network and Information Services|63|medium
4821|Telegraph Services|61|high
4829|Wire Transfers and Money Orders|x:finance|high
4899|Cable, Satellite and Other Pay Television and Radio Services|60|high
4900|Utilities - Electric, Gas, Water and Sanitary|x:energy_own>35.1|medium|mixed utilities; water and sewerage would be 36/37
5013|Motor Vehicle Supplies and New Parts|29|high
5021|Office and Commercial Furniture|31|high
5039|Construction Materials - Not Elsewhere Classified|23OTHER|medium
5044|Photographic, Photocopy, Microfilm Equipment and Supplies|28|medium
5045|Computers, Computer Peripheral Equipment and Software|26|high
5046|Commercial Equipment - Not Elsewhere Classified|28|medium
5047|Medical, Dental, Ophthalmic and Hospital Equipment and Supplies|32|high
5051|Metal Service Centres and Offices|25OTHER|medium
5065|Electrical Parts and Equipment|27|high
5072|Hardware Equipment and Supplies|25OTHER|medium
5074|Plumbing and Heating Equipment and Supplies|28|medium
5085|Industrial Supplies - Not Elsewhere Classified|28|low
5094|Precious Stones and Metals, Watches and Jewellery|32|high
5099|Durable Goods - Not Elsewhere Classified|32|low
5111|Stationery, Office Supplies, Printing and Writing Paper|17|high
5122|Drugs, Drug Proprietaries and Druggist Sundries|21|high
5131|Piece Goods, Notions and Other Dry Goods|13|high
5137|Men's, Women's and Children's Uniforms and Commercial Clothing|14|high
5139|Commercial Footwear|15|high
5169|Chemicals and Allied Products - Not Elsewhere Classified|20.5|high
5172|Petroleum and Petroleum Products|x:energy_own>19|high
5192|Books, Periodicals and Newspapers|58|high
5193|Florists' Supplies, Nursery Stock and Flowers|1|high
5198|Paints, Varnishes and Supplies|20.3|high
5199|Non-durable Goods - Not Elsewhere Classified|10.8|low|wholesale of non-durables; in local-government card data mostly catering provisions
5200|Home Supply Warehouse Stores|23OTHER|low|DIY and home-improvement goods: mixed building materials
5211|Lumber and Building Materials Stores|16|medium|timber and building materials
5231|Glass, Paint and Wallpaper Stores|20.3|medium
5251|Hardware Stores|25OTHER|medium
5261|Nurseries and Lawn and Garden Supply Stores|1|medium
5271|Mobile Home Dealers|29|medium
5300|Wholesale Clubs|10.8|low|warehouse clubs: mostly groceries
5309|Duty Free Stores|32|low
5310|Discount Stores|32|low|mixed general merchandise
5311|Department Stores|32|low|mixed general merchandise
5331|Variety Stores|32|low|mixed general merchandise
5399|Miscellaneous General Merchandise|32|low|mixed general merchandise
5411|Grocery Stores and Supermarkets|10.8|medium|food purchases: residual food group, not retail margin (47)
5422|Freezer and Locker Meat Provisioners|10.1|high
5441|Candy, Nut and Confectionery Stores|10.8|high
5451|Dairy Products Stores|10.5|high
5462|Bakeries|10.7|high
5499|Miscellaneous Food Stores - Convenience Stores and Specialty Markets|10.8|medium
5511|Car and Truck Dealers (New and Used) - Sales, Service, Repairs, Parts and Leasing|29/2|medium|vehicle purchase; servicing at dealers would be 45
5521|Car and Truck Dealers (Used Only)|29/2|medium
5531|Auto and Home Supply Stores|29|low
5532|Automotive Tyre Stores|22|high
5533|Automotive Parts and Accessories Stores|29|high
5541|Service Stations (with or without Ancillary Services)|x:energy_own>19|high
5542|Automated Fuel Dispensers|x:energy_own>19|high
5551|Boat Dealers|30.1|high
5561|Camper, Recreational and Utility Trailer Dealers|29|medium
5571|Motorcycle Shops and Dealers|30OTHER|high
5592|Motor Home Dealers|29|high
5598|Snowmobile Dealers|30OTHER|medium
5599|Miscellaneous Automotive, Aircraft and Farm Equipment Dealers|29|low
5611|Men's and Boys' Clothing and Accessories Stores|14|high
5621|Women's Ready-to-Wear Stores|14|high
5631|Women's Accessory and Speciality Shops|14|medium
5641|Children's and Infants' Wear Stores|14|high
5651|Family Clothing Stores|14|high
5655|Sports and Riding Apparel Stores|14|high
5661|Shoe Stores|15|high
5681|Furriers and Fur Shops|15|medium
5691|Men's and Women's Clothing Stores|14|high
5697|Tailors, Seamstresses, Mending and Alterations|96|medium
5698|Wig and Toupee Stores|32|medium
5699|Miscellaneous Apparel and Accessory Shops|14|medium
5712|Furniture, Home Furnishings and Equipment Stores, except Appliances|31|high
5713|Floor Covering Stores|13|medium
5714|Drapery, Window Covering and Upholstery Stores|13|high
5718|Fireplaces, Fireplace Screens and Accessories Stores|25OTHER|medium
5719|Miscellaneous Home Furnishing Specialty Stores|13|low
5722|Household Appliance Stores|27|high
5732|Electronics Stores|26|high
5733|Music Stores - Musical Instruments, Pianos and Sheet Music|32|high
5734|Computer Software Stores|58|high
5735|Record Stores|59|medium
5811|Caterers|56|high
5812|Eating Places and Restaurants|56|high
5813|Drinking Places (Alcoholic Beverages) - Bars, Taverns, Nightclubs|56|high
5814|Fast Food Restaurants|56|high
5815|Digital Goods - Books, Movies, Music|58|medium
5816|Digital Goods - Games|58|medium
5817|Digital Goods - Applications (excludes Games)|58|high
5818|Digital Goods - Large Digital Goods Merchant|58|medium
5912|Drug Stores and Pharmacies|21|medium
5921|Package Stores - Beer, Wine and Liquor|11.01-6|high
5931|Used Merchandise and Second-hand Stores|32|low
5932|Antique Shops - Sales, Repairs and Restoration Services|32|low
5933|Pawn Shops|32|low
5935|Wrecking and Salvage Yards|38|medium
5937|Antique Reproductions|32|medium
5940|Bicycle Shops - Sales and Service|30OTHER|high
5941|Sporting Goods Stores|32|high
5942|Book Stores|58|high
5943|Stationery Stores, Office and School Supply Stores|17|high
5944|Jewellery Stores, Watches, Clocks and Silverware Stores|32|high
5945|Hobby, Toy and Game Shops|32|high
5946|Camera and Photographic Supply Stores|26|high
5947|Gift, Card, Novelty and Souvenir Shops|17|low|cards and gifts
5948|Luggage and Leather Goods Stores|15|high
5949|Sewing, Needlework, Fabric and Piece Goods Stores|13|high
5950|Glassware and Crystal Stores|23OTHER|high
5960|Direct Marketing - Insurance Services|65.1-2|high
5961|Mail Order Houses including Catalogue Orders|32|low
5962|Direct Marketing - Travel-Related Arrangement Services|79|high
5963|Door-to-Door Sales|32|low
5964|Direct Marketing - Catalogue Merchants|32|low
5965|Direct Marketing - Combination Catalogue and Retail Merchants|32|low
5966|Direct Marketing - Outbound Telemarketing Merchants|32|low
5967|Direct Marketing - Inbound Telemarketing Merchants|32|low
5968|Direct Marketing - Continuity/Subscription Merchants|58|low|subscriptions, mostly publications
5969|Direct Marketing - Other Direct Marketers (Not Elsewhere Classified)|32|low
5970|Artist's Supply and Craft Shops|32|high
5971|Art Dealers and Galleries|32|medium
5972|Stamp and Coin Stores|32|medium
5973|Religious Goods Stores|32|medium
5975|Hearing Aids - Sales, Service and Supply Stores|26|high
5976|Orthopaedic Goods and Prosthetic Devices|32|high
5977|Cosmetic Stores|20.4|high
5978|Typewriter Stores - Sales, Rental and Service|28|high
5983|Fuel Dealers - Fuel Oil, Wood, Coal and Liquefied Petroleum|x:energy_own>19|high
5992|Florists|1|high
5993|Cigar Stores and Stands|12|high
5994|News Dealers and Newsstands|58|high
5995|Pet Shops, Pet Food and Supplies|10.9|medium
5996|Swimming Pools - Sales, Supplies and Services|22|medium
5997|Electric Razor Stores - Sales and Service|27|high
5998|Tent and Awning Shops|13|high
5999|Miscellaneous and Speciality Retail Stores|32|low|mixed speciality retail
6010|Financial Institutions - Manual Cash Disbursements|x:finance|high
6011|Financial Institutions - Automated Cash Disbursements|x:finance|high
6012|Financial Institutions - Merchandise and Services|x:finance|medium|card payments to banks are mostly loan or account transactions; fees would be 64
6051|Non-Financial Institutions - Foreign Currency, Money Orders, Travellers' Cheques, Quasi-Cash|x:finance|high
6211|Securities - Brokers and Dealers|x:finance|high
6300|Insurance Sales, Underwriting and Premiums|65.1-2|high
6513|Real Estate Agents and Managers - Rentals|68.3|medium|letting agents; rent itself would be 68.12
6540|Non-Financial Institutions - Stored Value Card Purchase/Load|x:finance|high
7011|Lodging - Hotels, Motels and Resorts|55|high
7012|Timeshares|55|high
7032|Sporting and Recreational Camps|55|medium
7033|Trailer Parks and Campgrounds|55|high
7210|Laundry, Cleaning and Garment Services|96|high
7211|Laundries - Family and Commercial|96|high
7216|Dry Cleaners|96|high
7217|Carpet and Upholstery Cleaning|81|high
7221|Photographic Studios|74|high
7230|Beauty and Barber Shops|96|high
7251|Shoe Repair Shops, Shoe Shine Parlours and Hat Cleaning Shops|95|high
7261|Funeral Services and Crematories|96|high
7273|Dating and Escort Services|96|medium
7276|Tax Preparation Services|69.2|high
7277|Counselling Services - Debt, Marriage and Personal|88|medium
7278|Buying and Shopping Services and Clubs|82|low
7296|Clothing Rental - Costumes, Uniforms and Formal Wear|77|high
7297|Massage Parlours|96|high
7298|Health and Beauty Spas|96|high
7299|Miscellaneous Personal Services - Not Elsewhere Classified|96|low
7311|Advertising Services|73|high
7321|Consumer Credit Reporting Agencies|82|high
7322|Debt Collection Agencies|82|high
7333|Commercial Photography, Art and Graphics|74|high
7338|Quick Copy, Reproduction and Blueprinting Services|82|high
7339|Stenographic and Secretarial Support Services|82|high
7342|Exterminating and Disinfecting Services|81|high
7349|Cleaning, Maintenance and Janitorial Services|81|high
7361|Employment Agencies and Temporary Help Services|78|high
7372|Computer Programming, Data Processing and Integrated Systems Design Services|62|high
7375|Information Retrieval Services|63|high
7379|Computer Maintenance, Repair and Services - Not Elsewhere Classified|62|medium
7392|Management, Consulting and Public Relations Services|70|high
7393|Detective Agencies, Protective Agencies and Security Services including Armoured Cars and Guard Dogs|80|high
7394|Equipment, Tool, Furniture and Appliance Rental and Leasing|77|high
7395|Photofinishing Laboratories and Photo Developing|74|high
7399|Business Services - Not Elsewhere Classified|82|low
7512|Automobile Rental Agency|77|high
7513|Truck and Utility Trailer Rentals|77|high
7519|Motor Home and Recreational Vehicle Rentals|77|high
7523|Parking Lots, Parking Meters and Garages|52|high
7531|Automotive Body Repair Shops|45|high
7534|Tyre Retreading and Repair Shops|45|high
7535|Automotive Paint Shops|45|high
7538|Automotive Service Shops (Non-Dealer)|45|high
7542|Car Washes|45|high
7549|Towing Services|52|high
7622|Electronics Repair Shops|95|high
7623|Air Conditioning and Refrigeration Repair Shops|33OTHER|high
7629|Electrical and Small Appliance Repair Shops|95|high
7631|Watch, Clock and Jewellery Repair Shops|95|high
7641|Furniture - Reupholstery, Repair and Refinishing|95|high
7692|Welding Services|25OTHER|medium
7699|Miscellaneous Repair Shops and Related Services|33OTHER|low
7800|Government-Owned Lotteries|92|high
7801|Government-Licensed Online Casinos (Online Gambling)|92|high
7802|Government-Licensed Horse/Dog Racing|92|high
7829|Motion Picture and Video Tape Production and Distribution|59|high
7832|Motion Picture Theatres|59|high
7841|DVD/Video Tape Rental Stores|77|high
7911|Dance Halls, Studios and Schools|93|medium
7922|Theatrical Producers (except Motion Pictures) and Ticket Agencies|90|high
7929|Bands, Orchestras and Miscellaneous Entertainers|90|high
7932|Billiard and Pool Establishments|93|high
7933|Bowling Alleys|93|high
7941|Commercial Sports, Professional Sports Clubs, Athletic Fields and Sports Promoters|93|high
7991|Tourist Attractions and Exhibits|91|medium
7992|Public Golf Courses|93|high
7993|Video Amusement Game Supplies|93|medium
7994|Video Game Arcades and Establishments|93|high
7995|Betting, including Lottery Tickets, Casino Gaming Chips and Off-Track Betting|92|high
7996|Amusement Parks, Circuses, Carnivals and Fortune Tellers|93|high
7997|Membership Clubs (Sports, Recreation, Athletic), Country Clubs and Private Golf Courses|93|high
7998|Aquariums, Seaquariums and Dolphinariums|91|high
7999|Recreation Services - Not Elsewhere Classified|93|medium
8011|Doctors and Physicians - Not Elsewhere Classified|86|high
8021|Dentists and Orthodontists|86|high
8031|Osteopaths|86|high
8041|Chiropractors|86|high
8042|Optometrists and Ophthalmologists|86|high
8043|Opticians, Optical Goods and Eyeglasses|32|medium|spectacles (SIC 32.50)
8049|Podiatrists and Chiropodists|86|high
8050|Nursing and Personal Care Facilities|87|high
8062|Hospitals|86|high
8071|Medical and Dental Laboratories|86|high
8099|Medical Services and Health Practitioners - Not Elsewhere Classified|86|medium
8111|Legal Services and Attorneys|69.1|high
8211|Elementary and Secondary Schools|85|high
8220|Colleges, Universities, Professional Schools and Junior Colleges|85|high
8241|Correspondence Schools|85|high
8244|Business and Secretarial Schools|85|high
8249|Trade and Vocational Schools|85|high
8299|Schools and Educational Services - Not Elsewhere Classified|85|high
8351|Child Care Services|88|high
8398|Charitable and Social Service Organisations - Fundraising|x:grants|medium|donations; a purchase of a service from a charity should be mapped by what was bought
8641|Civic, Social and Fraternal Associations|94|high
8651|Political Organisations|x:grants|high
8661|Religious Organisations|x:grants|medium
8675|Automobile Associations|94|high
8699|Membership Organisations - Not Elsewhere Classified|94|high
8734|Testing Laboratories (Non-Medical Testing)|71|high
8911|Architectural, Engineering and Surveying Services|71|high
8931|Accounting, Auditing and Bookkeeping Services|69.2|high
8999|Professional Services - Not Elsewhere Classified|74|low
9211|Court Costs, including Alimony and Child Support|x:public_body>84|medium
9222|Fines|x:public_body>84|high|penalties paid to public bodies
9223|Bail and Bond Payments|x:finance|high
9311|Tax Payments|x:tax|high
9399|Government Services - Not Elsewhere Classified|x:public_body>84|medium|fees and charges to government bodies
9402|Postal Services - Government Only|53|high
9405|Intra-Government Purchases - Government Only|x:public_body>84|medium
9700|Automated Referral Service|82|low
9701|Visa Credential Server|82|low
9702|Emergency Services (GCAS)|82|low
9751|UK Supermarkets, Electronic Hot File|10.8|medium
9752|UK Petrol Stations, Electronic Hot File|x:energy_own>19|high
9950|Intra-Company Purchases|x:internal|high
"""


def _target(text: str) -> tuple[str, str, str, str]:
    """``62`` / ``29/2`` / ``x:energy_own>19`` → defra_group, category, reason, if_included."""
    if text.startswith("x:"):
        reason, _, included = text[2:].partition(">")
        return "", "", reason, included
    group, _, category = text.partition("/")
    return group, category or "1", "", ""


def rows() -> list[tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for n, line in enumerate(CODES.splitlines(), start=1):
        parts = line.split("|")
        if len(parts) not in (4, 5):
            raise ValueError(f"CODES line {n}: expected 4 or 5 fields: {line!r}")
        code, title, target, confidence = parts[:4]
        note = parts[4] if len(parts) == 5 else ""
        if len(code) != 4 or not code.isdigit() or code in out:
            raise ValueError(f"CODES line {n}: bad or duplicate code {code!r}")
        out[code] = (code, title, *_target(target), confidence, note)
    for first, last, title, group in RANGES:
        for number in range(first, last + 1):
            code = f"{number:04d}"
            if code in out:
                raise ValueError(f"range code {code} also listed individually")
            name = f"{NAMED[code]} - {title}" if code in NAMED else title
            out[code] = (code, name, group, "1", "", "", "high", "")
    reasons = frozenset(load_exclusions())
    for row in out.values():
        parse_target(dict(zip(HEADER, row, strict=True)), f"MCC {row[0]}", reasons=reasons)
    return [out[code] for code in sorted(out)]


def build(out_file: Path = OUTPUT) -> list[Path]:
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_bytes(csv_bytes(HEADER, rows()))
    return [out_file]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the MCC to Defra group crosswalk")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="output CSV")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
