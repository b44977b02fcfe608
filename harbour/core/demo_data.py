"""Made-up people for the demo council: names, languages and places. Nothing here is a real person.

Children who arrive through the National Transfer Scheme keep the naming conventions of their
own countries, so the demo shows what Harbour has to cope with:

* Afghan and Iranian names are a given name and a family or tribe name; some Afghan children
  give a single name only. Their names in Persian script are recorded as the child writes them
  (Dari and Pashto names such as Rahmatullah need the zero-width non-joiner).
* Eritrean and Ethiopian children use their father's given name as their second name (a
  patronymic), not a family name; the Home Office often records the grandfather's name too.
* Sudanese and Egyptian children give their own name, then their father's and grandfather's;
  Syrian and Iraqi children more often give a family name.
* Vietnamese names are written family name first (Nguyễn Văn Minh: family name Nguyễn, given
  names Văn Minh, known as Minh).
* Kurdish children from Iraq usually give their father's name as their second name.

Every spelling variant listed is one that turns up in real Home Office and council records.
The staff list reflects the mix of people in an English council's children's services.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Name:
    """A name as the child spells it in English, in their own script, and other spellings seen."""

    latin: str
    script: str = ""
    variants: tuple[str, ...] = ()


def N(latin: str, script: str = "", *variants: str) -> Name:  # noqa: N802 - short for the tables below
    return Name(latin, script, variants)


@dataclass(frozen=True)
class Origin:
    """Where a group of unaccompanied children come from, and how their names are built."""

    key: str
    nationality: str
    weight: int
    convention: str  # single_or_family, family, patronymic, nasab, vietnamese, kurdish
    languages: tuple[tuple[str, int], ...]
    ethnicities: tuple[tuple[str, int], ...]
    religions: tuple[tuple[str, int], ...]
    male: tuple[Name, ...]
    female: tuple[Name, ...]
    family: tuple[Name, ...]
    other_languages: tuple[str, ...] = ()
    journeys: tuple[str, ...] = field(default=())


AFGHAN = Origin(
    key="afghan", nationality="Afghan", weight=26, convention="single_or_family",
    languages=(("Dari", 55), ("Pashto", 45)),
    ethnicities=(("AOTH", 9), ("OOTH", 1)),
    religions=(("Muslim (Sunni)", 6), ("Muslim (Shia)", 3), ("", 1)),
    male=(
        N("Ahmad", "احمد", "Ahmed", "Ahmet"),
        N("Ali", "علی", "Aly"),
        N("Hamid", "حمید", "Hameed"),
        N("Javad", "جواد", "Jawad"),
        N("Mustafa", "مصطفی", "Mostafa", "Mustapha"),
        N("Sohail", "سهیل", "Suhail", "Sohayl"),
        N("Farid", "فرید", "Fareed"),
        N("Jawid", "جاوید", "Javed", "Javid"),
        N("Rahmatullah", "رحمت\u200cالله", "Rahmatulla", "Rahmat Ullah"),
        N("Naqibullah", "نقیب\u200cالله", "Naqeebullah"),
        N("Zabihullah", "ذبیح\u200cالله", "Zabiullah", "Zabihulla"),
        N("Bilal", "بلال", "Belal"),
        N("Nasir", "ناصر", "Naser", "Nasser"),
        N("Idris", "ادریس", "Idrees"),
        N("Shafiq", "شفیق", "Shafeeq"),
        N("Samiullah", "سمیع\u200cالله", "Sami Ullah"),
        N("Hamza", "حمزه", "Hamzah"),
        N("Yousuf", "یوسف", "Yusuf", "Yousef"),
    ),
    female=(
        N("Fatima", "فاطمه", "Fatema"),
        N("Zahra", "زهرا", "Zehra"),
        N("Mariam", "مریم", "Maryam"),
        N("Parwana", "پروانه", "Parvana"),
    ),
    family=(
        N("Ahmadzai", "احمدزی", "Ahmedzai"),
        N("Popalzai", "پوپلزی", "Popalzay"),
        N("Noori", "نوری", "Nuri"),
        N("Hakimi", "حکیمی", "Hakeemi"),
        N("Rahimi", "رحیمی", "Raheemi"),
        N("Sultani", "سلطانی", "Soltani"),
        N("Hussaini", "حسینی", "Husaini", "Hosseini"),
        N("Mohammadi", "محمدی", "Muhammadi"),
        N("Karimi", "کریمی", "Kareemi"),
        N("Stanikzai", "ستانکزی", "Stanekzai"),
        N("Safi", "صافی"),
        N("Amiri", "امیری", "Ameeri"),
        N("Haidari", "حیدری", "Heidari", "Haydari"),
        N("Sadat", "سادات"),
    ),
    other_languages=("Urdu", "Farsi", "Pashto", "Dari", "some English"),
    journeys=("Iran and Turkey", "Iran, Turkey and Greece", "Pakistan and Iran", "the Balkans and France"),
)

IRANIAN = Origin(
    key="iranian", nationality="Iranian", weight=10, convention="family",
    languages=(("Farsi", 8), ("Kurdish Sorani", 2)),
    ethnicities=(("OOTH", 6), ("AOTH", 4)),
    religions=(("Muslim (Shia)", 5), ("Christian", 2), ("No religion", 1), ("", 2)),
    male=(
        N("Reza", "رضا", "Rezza"),
        N("Amir", "امیر", "Ameer"),
        N("Mehdi", "مهدی", "Mahdi", "Mehdy"),
        N("Hossein", "حسین", "Hussein", "Hosein"),
        N("Arash", "آرش"),
        N("Saeed", "سعید", "Said", "Saied"),
        N("Morteza", "مرتضی", "Murtaza"),
        N("Pouya", "پویا", "Puya"),
        N("Omid", "امید", "Omeed"),
        N("Kian", "کیان", "Kiyan"),
    ),
    female=(
        N("Shirin", "شیرین", "Shireen"),
        N("Nazanin", "نازنین", "Nazaneen"),
        N("Setareh", "ستاره", "Setare"),
    ),
    family=(
        N("Hosseini", "حسینی", "Husseini", "Hoseini"),
        N("Ahmadi", "احمدی", "Ahmedi"),
        N("Rezaei", "رضایی", "Rezayi", "Rezaee"),
        N("Moradi", "مرادی", "Muradi"),
        N("Karimi", "کریمی", "Kareemi"),
        N("Jafari", "جعفری", "Jaafari"),
        N("Rostami", "رستمی", "Rustami"),
        N("Sadeghi", "صادقی", "Sadeqi"),
        N("Mohammadi", "محمدی", "Muhammadi"),
        N("Heidari", "حیدری", "Haidari"),
    ),
    other_languages=("English", "Turkish", "Kurdish Sorani"),
    journeys=("Turkey and Greece", "Turkey and the Balkans", "Turkey, Italy and France"),
)

ERITREAN = Origin(
    key="eritrean", nationality="Eritrean", weight=14, convention="patronymic",
    languages=(("Tigrinya", 9), ("Tigre", 1)),
    ethnicities=(("BAFR", 1),),
    religions=(("Christian (Orthodox)", 6), ("Christian (Pentecostal)", 1), ("Muslim", 2), ("", 1)),
    male=(
        N("Dawit", "ዳዊት", "Dawitt", "Dawid"),
        N("Yonas", "ዮናስ", "Yonatan"),
        N("Filmon", "ፊልሞን", "Philemon", "Filimon"),
        N("Robel", "ሮቤል", "Robiel"),
        N("Samuel", "ሳሙኤል", "Samiel"),
        N("Yohannes", "ዮሃንስ", "Yohanes", "Johannes"),
        N("Amanuel", "ኣማኑኤል", "Emmanuel", "Amanuiel"),
        N("Merhawi", "መርሃዊ", "Mehari"),
        N("Biniam", "ቢንያም", "Biniyam", "Binyam"),
        N("Mussie", "ሙሴ", "Musie", "Muse"),
    ),
    female=(
        N("Senait", "ሰናይት", "Senayt"),
        N("Selam", "ሰላም", "Salam"),
        N("Luwam", "ሉዋም", "Luam"),
        N("Feven", "ፌቨን", "Fiven"),
    ),
    family=(
        N("Tesfay", "ተስፋይ", "Tesfai", "Tesfaye"),
        N("Mebrahtu", "መብራህቱ", "Mebrahatu"),
        N("Tekle", "ተኽለ", "Tekleh", "Tecle"),
        N("Haile", "ሃይለ", "Hailé", "Hayle"),
        N("Berhane", "በርሃነ", "Berhan", "Birhane"),
        N("Kidane", "ኪዳነ", "Kidan"),
        N("Gebremedhin", "ገብረመድህን", "Ghebremedhin", "Gebremedin"),
        N("Kahsay", "ካሕሳይ", "Kahsai"),
        N("Habte", "ሃብተ", "Habtay"),
        N("Asmerom", "ኣስመሮም", "Asmarom"),
        N("Weldemariam", "ወልደማርያም", "Woldemariam", "Weldemaryam"),
    ),
    other_languages=("Arabic", "Amharic", "some English"),
    journeys=("Ethiopia, Sudan and Libya", "Sudan, Libya and Italy", "Sudan, Libya, Italy and France"),
)

ETHIOPIAN = Origin(
    key="ethiopian", nationality="Ethiopian", weight=5, convention="patronymic",
    languages=(("Amharic", 5), ("Oromo", 3), ("Tigrinya", 2)),
    ethnicities=(("BAFR", 1),),
    religions=(("Christian (Orthodox)", 6), ("Muslim", 3), ("", 1)),
    male=(
        N("Abel", "አቤል", "Abell"),
        N("Yared", "ያሬድ", "Yarid"),
        N("Henok", "ሄኖክ", "Henock", "Enoch"),
        N("Natnael", "ናትናኤል", "Nathnael", "Nathaniel"),
        N("Eyob", "እዮብ", "Iyob", "Eyoub"),
        N("Dawit", "ዳዊት", "Dawitt"),
    ),
    female=(
        N("Meron", "ሜሮን", "Miron"),
        N("Hana", "ሐና", "Hanna"),
        N("Bethlehem", "ቤተልሔም", "Betelhem"),
    ),
    family=(
        N("Tadesse", "ታደሰ", "Tadese", "Taddese"),
        N("Girma", "ግርማ", "Germa"),
        N("Alemu", "አለሙ", "Alamu"),
        N("Bekele", "በቀለ", "Bekkele"),
        N("Mulugeta", "ሙሉጌታ", "Mulageta"),
        N("Getachew", "ጌታቸው", "Getachaw"),
        N("Kebede", "ከበደ", "Kebbede"),
    ),
    other_languages=("Amharic", "Arabic", "some English"),
    journeys=("Sudan and Libya", "Sudan, Libya and Italy"),
)

SUDANESE = Origin(
    key="sudanese", nationality="Sudanese", weight=14, convention="nasab",
    languages=(("Arabic", 1),),
    ethnicities=(("BAFR", 8), ("OOTH", 2)),
    religions=(("Muslim", 9), ("", 1)),
    male=(
        N("Mohamed", "محمد", "Mohammed", "Muhammad"),
        N("Ahmed", "أحمد", "Ahmad"),
        N("Abdelrahman", "عبد الرحمن", "Abdulrahman", "Abdel Rahman"),
        N("Osman", "عثمان", "Othman", "Usman"),
        N("Hamza", "حمزة", "Hamzah"),
        N("Adam", "آدم", "Adem"),
        N("Ibrahim", "إبراهيم", "Ebrahim"),
        N("Yousif", "يوسف", "Yusuf", "Yousef"),
        N("Musa", "موسى", "Mousa"),
        N("Omer", "عمر", "Omar"),
        N("Khalid", "خالد", "Khaled"),
    ),
    female=(
        N("Amna", "آمنة", "Amina"),
        N("Hawa", "حواء", "Hawaa"),
    ),
    family=(
        N("Abdalla", "عبد الله", "Abdallah", "Abdullah"),
        N("Adam", "آدم", "Adem"),
        N("Ishag", "إسحاق", "Ishaq", "Ishak"),
        N("Yahya", "يحيى", "Yehia"),
        N("Hassan", "حسن", "Hasan"),
        N("Ali", "علي", "Aly"),
        N("Osman", "عثمان", "Othman"),
        N("Idris", "إدريس", "Idrees"),
        N("Eltayeb", "الطيب", "Al Tayeb", "Altayib"),
        N("Abakar", "أبكر", "Abaker"),
    ),
    other_languages=("Fur", "Zaghawa", "Masalit", "some English"),
    journeys=("Chad and Libya", "Libya and Italy", "Egypt, Libya and Italy"),
)

EGYPTIAN = Origin(
    key="egyptian", nationality="Egyptian", weight=3, convention="nasab",
    languages=(("Arabic", 1),),
    ethnicities=(("OOTH", 1),),
    religions=(("Muslim", 8), ("Christian (Coptic)", 2)),
    male=(
        N("Mohamed", "محمد", "Mohammed", "Muhammad"),
        N("Mahmoud", "محمود", "Mahmud"),
        N("Youssef", "يوسف", "Yousef", "Yusuf"),
        N("Karim", "كريم", "Kareem"),
        N("Mostafa", "مصطفى", "Mustafa"),
    ),
    female=(N("Mariam", "مريم", "Maryam"),),
    family=(
        N("Ibrahim", "إبراهيم", "Ebrahim"),
        N("Hassan", "حسن", "Hasan"),
        N("Abdelaziz", "عبد العزيز", "Abdel Aziz"),
        N("Elsayed", "السيد", "El Sayed", "Al Sayed"),
        N("Fathy", "فتحي", "Fathi"),
    ),
    other_languages=("some English",),
    journeys=("Libya and Italy", "Libya, Italy and France"),
)

SYRIAN = Origin(
    key="syrian", nationality="Syrian", weight=5, convention="family",
    languages=(("Arabic", 1),),
    ethnicities=(("OOTH", 1),),
    religions=(("Muslim", 8), ("", 2)),
    male=(
        N("Mohammad", "محمد", "Mohammed", "Muhammad"),
        N("Khaled", "خالد", "Khalid"),
        N("Omar", "عمر", "Omer"),
        N("Yazan", "يزن", "Yezan"),
        N("Ammar", "عمار", "Amar"),
        N("Abdullah", "عبد الله", "Abdallah"),
    ),
    female=(N("Rahaf", "رهف", "Rahef"), N("Lana", "لانا")),
    family=(
        N("Al-Ali", "العلي", "Alali", "El Ali"),
        N("Al-Hassan", "الحسن", "Alhassan"),
        N("Haddad", "حداد", "Hadad"),
        N("Al-Khatib", "الخطيب", "Alkhatib", "El Khatib"),
        N("Darwish", "درويش", "Darweesh"),
        N("Hamoud", "حمود", "Hammoud"),
    ),
    other_languages=("Turkish", "some English"),
    journeys=("Turkey and Greece", "Lebanon, Turkey and the Balkans"),
)

IRAQI = Origin(
    key="iraqi", nationality="Iraqi", weight=4, convention="family",
    languages=(("Arabic", 1),),
    ethnicities=(("OOTH", 1),),
    religions=(("Muslim (Shia)", 5), ("Muslim (Sunni)", 4), ("", 1)),
    male=(
        N("Haider", "حيدر", "Hayder", "Haidar"),
        N("Hussein", "حسين", "Hussain", "Husain"),
        N("Abbas", "عباس", "Abas"),
        N("Mustafa", "مصطفى", "Mostafa"),
        N("Ali", "علي", "Aly"),
    ),
    female=(N("Zainab", "زينب", "Zaynab"),),
    family=(
        N("Al-Jubouri", "الجبوري", "Aljuboori", "Al Jaburi"),
        N("Al-Tamimi", "التميمي", "Altamimi"),
        N("Al-Obaidi", "العبيدي", "Alobaidi"),
        N("Kadhim", "كاظم", "Kazem", "Kazim"),
    ),
    other_languages=("Kurdish Sorani", "some English"),
    journeys=("Turkey and Greece", "Turkey, the Balkans and France"),
)

KURDISH_IRAQI = Origin(
    key="kurdish_iraqi", nationality="Iraqi", weight=6, convention="kurdish",
    languages=(("Kurdish Sorani", 1),),
    ethnicities=(("OOTH", 1),),
    religions=(("Muslim", 8), ("", 2)),
    male=(
        N("Karwan", "کاروان", "Karwaan"),
        N("Rebwar", "ڕێبوار", "Rebuar", "Rebiwar"),
        N("Hiwa", "هیوا", "Hewa"),
        N("Dilshad", "دڵشاد", "Delshad"),
        N("Aram", "ئارام", "Araam"),
        N("Sarkawt", "سەرکەوت", "Sarkaut", "Serkawt"),
        N("Bakhtiyar", "بەختیار", "Bakhtiar"),
        N("Hemin", "هێمن", "Himen"),
        N("Azad", "ئازاد", "Azaad"),
        N("Soran", "سۆران", "Suran"),
    ),
    female=(N("Shilan", "شیلان", "Shelan"), N("Avin", "ئاڤین", "Aveen")),
    family=(
        N("Ahmed", "ئەحمەد", "Ahmad"),
        N("Rashid", "ڕەشید", "Rasheed"),
        N("Aziz", "عەزیز", "Azeez"),
        N("Hassan", "حەسەن", "Hasan"),
        N("Karim", "کەریم", "Kareem"),
        N("Mohammed", "محەمەد", "Muhammad", "Mohamad"),
        N("Omar", "عومەر", "Omer"),
    ),
    other_languages=("Arabic", "Farsi", "some English"),
    journeys=("Turkey and Germany", "Turkey, the Balkans and France", "Turkey and Greece"),
)

VIETNAMESE = Origin(
    key="vietnamese", nationality="Vietnamese", weight=7, convention="vietnamese",
    languages=(("Vietnamese", 1),),
    ethnicities=(("AOTH", 1),),
    religions=(("Buddhist", 4), ("Christian (Catholic)", 2), ("No religion", 2), ("", 2)),
    male=(
        N("Minh", "", "Min"),
        N("Tuấn", "", "Tuan"),
        N("Hùng", "", "Hung"),
        N("Dũng", "", "Dung"),
        N("Khánh", "", "Khanh"),
        N("Long", ""),
        N("Phúc", "", "Phuc"),
        N("Quang", ""),
    ),
    female=(N("Linh", ""), N("Trang", ""), N("Hương", "", "Huong")),
    family=(
        N("Nguyễn", "", "Nguyen"),
        N("Trần", "", "Tran"),
        N("Lê", "", "Le"),
        N("Phạm", "", "Pham"),
        N("Hoàng", "", "Hoang"),
        N("Vũ", "", "Vu"),
        N("Đặng", "", "Dang"),
        N("Bùi", "", "Bui"),
    ),
    other_languages=("some English",),
    journeys=("Russia, Poland and France", "China, Russia and France", "Belgium and France"),
)

ALBANIAN = Origin(
    key="albanian", nationality="Albanian", weight=5, convention="family",
    languages=(("Albanian", 1),),
    ethnicities=(("WOTH", 1),),
    religions=(("Muslim", 4), ("Christian (Catholic)", 2), ("No religion", 2), ("", 2)),
    male=(
        N("Ardit", "", "Ardi"),
        N("Erion", "", "Arion"),
        N("Endrit", "", "Endri"),
        N("Klevis", "", "Klevi"),
        N("Besnik", ""),
        N("Elton", ""),
        N("Arlind", "", "Arlindi"),
        N("Fation", "", "Fatjon"),
        N("Ermal", ""),
    ),
    female=(N("Ana", ""), N("Klea", "")),
    family=(
        N("Hoxha", "", "Hodja", "Hoxa"),
        N("Shehu", "", "Sheu"),
        N("Gjoka", "", "Gjoke"),
        N("Leka", ""),
        N("Marku", "", "Marko"),
        N("Prifti", ""),
        N("Dervishi", "", "Dervish"),
        N("Çela", "", "Cela", "Chela"),
        N("Brahimi", "", "Ibrahimi"),
        N("Mema", ""),
    ),
    other_languages=("Italian", "Greek", "some English"),
    journeys=("Belgium and France", "Italy and France"),
)

ORIGINS: tuple[Origin, ...] = (
    AFGHAN, ERITREAN, SUDANESE, IRANIAN, VIETNAMESE, SYRIAN, ALBANIAN, IRAQI, KURDISH_IRAQI,
    ETHIOPIAN, EGYPTIAN,
)

# The featured child of the `socialworker` login's caseload: a name with well-known
# transliteration variants, so that searching for any of them finds him.
FEATURED_CHILD = {
    "given_names": "Mohammed",
    "family_name": "Noori",
    "names_in_original_script": "محمد نوری",
    "spellings": ("Muhammad Noori", "Mohammad Nuri"),
}

# --- Children in care for other reasons: names typical of an English town ------------------------

ENGLISH_BOYS = (
    "Oliver", "Jack", "Harry", "George", "Noah", "Charlie", "Jacob", "Alfie", "Freddie", "Oscar",
    "Leo", "Archie", "Thomas", "Joshua", "Riley", "Tyler", "Kai", "Mason", "Logan", "Ethan",
    "Lewis", "Callum", "Reece", "Bailey", "Kieran", "Connor", "Liam", "Dylan", "Finley", "Tommy",
    "Teddy", "Ronnie", "Arlo", "Theo", "Jamie", "Lucas", "Max", "Ryan", "Ollie", "Jenson",
)
ENGLISH_GIRLS = (
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Lily", "Ruby", "Grace", "Evie", "Sophie", "Chloe",
    "Ella", "Poppy", "Freya", "Isabella", "Jessica", "Ellie", "Millie", "Lacey", "Paige", "Megan",
    "Holly", "Leah", "Skye", "Summer", "Willow", "Ivy", "Harper", "Darcie", "Courtney", "Jade",
    "Kayla", "Lola", "Molly", "Rosie",
)
ENGLISH_FAMILY = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
    "Clarke", "Hughes", "Edwards", "Turner", "Hill", "Moore", "Cooper", "Ward", "Morris", "King",
    "Watson", "Harrison", "Baker", "Price", "Parker", "Bennett", "Shaw", "Cox", "Marshall", "Mills",
    "Fletcher", "Barker", "Holmes", "Pearson", "Chapman", "Lloyd", "Knight", "Hunt", "Palmer",
    "Webb", "Simpson", "Lane", "Atkinson", "Dixon", "Burton", "Payne", "Gibson", "Stevens",
)
IRISH_BOYS = ("Ciaran", "Sean", "Cian", "Oisin", "Darragh", "Patrick")
IRISH_GIRLS = ("Niamh", "Aoife", "Siobhan", "Caoimhe", "Roisin", "Erin")
IRISH_FAMILY = ("Murphy", "O'Brien", "Kelly", "O'Connor", "Byrne", "Doyle", "McCarthy", "Walsh")
CARIBBEAN_BOYS = ("Malachi", "Jayden", "Tyrese", "Marcus", "Kyrie", "Isaiah", "Nathaniel", "Jaheim")
CARIBBEAN_GIRLS = ("Aaliyah", "Tiana", "Kiara", "Jada", "Nia", "Destiny", "Shanice")
CARIBBEAN_FAMILY = ("Campbell", "Francis", "Grant", "Reid", "Bailey", "Morgan", "Henry", "Gordon", "Samuels")
AFRICAN_BOYS = ("Kofi", "Tobi", "Emmanuel", "Samuel", "Daniel", "Abdi", "Kwame", "Chidi", "Femi", "David")
AFRICAN_GIRLS = ("Precious", "Blessing", "Favour", "Amara", "Adaeze", "Hodan", "Ayan", "Esther", "Grace")
AFRICAN_FAMILY = ("Mensah", "Okafor", "Adeyemi", "Osei", "Boateng", "Okonkwo", "Abdi", "Nwosu", "Adebayo", "Warsame")
SOUTH_ASIAN = {
    "APKN": (("Mohammed", "Zain", "Hamza", "Ayaan", "Ibrahim", "Yusuf", "Musa"),
             ("Aisha", "Maryam", "Zara", "Hafsa", "Inaya", "Aleena"),
             ("Khan", "Hussain", "Ahmed", "Ali", "Iqbal", "Akhtar", "Mahmood", "Raja")),
    "AIND": (("Arjun", "Rohan", "Aarav", "Harjot", "Dev", "Krish"),
             ("Priya", "Simran", "Anaya", "Diya", "Jasleen"),
             ("Patel", "Singh", "Sharma", "Mistry", "Gill", "Chauhan")),
    "ABAN": (("Rayan", "Ayaan", "Ismail", "Zakaria"),
             ("Sumaiya", "Tasnim", "Raisa", "Fariha"),
             ("Uddin", "Miah", "Rahman", "Islam", "Chowdhury")),
}
POLISH_BOYS = ("Kacper", "Jakub", "Szymon", "Filip", "Antoni", "Mateusz")
POLISH_GIRLS = ("Oliwia", "Zuzanna", "Maja", "Julia", "Lena", "Wiktoria")
# (for a boy, for a girl): Polish family names change with sex.
POLISH_FAMILY = (
    ("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"), ("Kamiński", "Kamińska"), ("Łukasik", "Łukasik"),
)
ROMANIAN_BOYS = ("Andrei", "Ionuț", "Gabriel", "Darius")
ROMANIAN_GIRLS = ("Maria", "Ioana", "Bianca", "Alexandra")
ROMANIAN_FAMILY = ("Popescu", "Ionescu", "Stan", "Dumitru", "Lungu")
CHINESE_FAMILY = ("Chen", "Wang", "Li", "Zhang", "Liu")

# Ethnicity weights of children in care for other reasons (roughly the national mix).
CARE_ETHNICITIES: tuple[tuple[str, int], ...] = (
    ("WBRI", 64), ("WIRI", 1), ("WIRT", 1), ("WROM", 1), ("WOTH", 5),
    ("MWBC", 4), ("MWBA", 2), ("MWAS", 2), ("MOTH", 3),
    ("AIND", 1), ("APKN", 2), ("ABAN", 1), ("AOTH", 1),
    ("BCRB", 2), ("BAFR", 4), ("BOTH", 1),
    ("CHNE", 1), ("OOTH", 2), ("REFU", 1), ("NOBT", 1),
)

PREFERRED_NAMES = {
    "Thomas": "Tom", "Jessica": "Jess", "Isabella": "Bella", "Joshua": "Josh", "Alexandra": "Alex",
    "Oliver": "Ollie", "Nathaniel": "Nate", "Jacob": "Jake", "Samuel": "Sam", "Gabriel": "Gabe",
    "Amelia": "Millie", "Olivia": "Liv", "Emmanuel": "Manny", "Wiktoria": "Vicky", "Mohammed": "Mo",
}

# --- Places --------------------------------------------------------------------------------------
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Harbourside is made up, but the SSDA903 return needs real postcodes: the DfE's validator looks each
# one up in the ONS postcode directory to find the placement's council and distance (rules 392c, 169,
# 179). The demo borrows Portsmouth's (ONS code E06000044), a harbour city; each postcode below is in
# the directory the validator ships. Central is Portsea and Old Portsmouth (PO1, PO5), North the
# mainland and Hilsea (PO2, PO3, PO6), South Southsea and Eastney (PO4).
DEMO_LA_ONS_CODE = "E06000044"
IN_AREA_POSTCODES: dict[str, tuple[str, ...]] = {
    "Central": ("PO1 1HE", "PO1 9FZ", "PO1 9DZ", "PO1 1PU", "PO1 3BX", "PO1 4HF", "PO1 2JN", "PO1 5JH",
                "PO5 1RU", "PO5 3LB", "PO5 3AJ", "PO5 4JJ", "PO5 2YH", "PO5 3RR", "PO5 2ND", "PO5 3XY"),
    "North": ("PO2 7LD", "PO2 7JT", "PO2 9AJ", "PO2 8YW", "PO2 0QF", "PO2 7TL", "PO2 7TY", "PO2 9NX",
              "PO3 6BJ", "PO3 5HG", "PO3 5FT", "PO3 6BX", "PO3 6JZ", "PO3 5WY", "PO3 5WQ", "PO3 5EF",
              "PO6 2PX", "PO6 2AF", "PO6 3LD", "PO6 2PQ", "PO6 3XS", "PO6 4TW", "PO6 4AS", "PO6 3HL"),
    "South": ("PO4 9RZ", "PO4 9QU", "PO4 0YJ", "PO4 0HB", "PO4 8YZ", "PO4 9LU", "PO4 8HE", "PO4 8PD"),
}
ALL_IN_AREA_POSTCODES = tuple(code for codes in IN_AREA_POSTCODES.values() for code in codes)
# Out of area: next door (Havant E07000090, Gosport E07000088, Southampton E06000045) and far away
# (Leeds E08000035), as a council's out-of-area placements are.
OUT_OF_AREA_POSTCODES = ("PO9 3AS", "PO9 5TX", "PO12 3TP", "PO12 1LR", "SO14 2DD", "SO15 0ND",
                         "SO16 6DJ", "SO17 2AA", "LS1 4AB", "LS2 7EW")
# The Ofsted URN of the council's own fostering service: every in-house foster placement carries it
# (validator rule 218 wants a URN for foster placements). Made up, in Ofsted's form.
COUNCIL_FOSTERING_URN = "SC482913"

INTAKE_BASE = "Harbour House intake base"
SUPPORTED_ACCOMMODATION = (
    "Quayside Supported Lodgings", "Aspire Supported Living, Marina Road",
    "Anchor Youth Housing, Dock House", "Compass Supported Accommodation, Mill Lane",
    "Harbourside Foyer",
)
CHILDRENS_HOMES = (
    "Elm Lodge children's home (Lighthouse Care)", "Beacon House children's home",
    "Willow Court children's home (Harbourside Council)", "Saltmarsh House (Lighthouse Care)",
)
CARER_TITLES = ("Mr and Mrs", "Ms", "Mrs", "Mr", "Mr and Mr", "Ms and Ms", "Mrs and Mr")
CARER_FAMILY = (
    "Thompson", "Okafor", "Begum", "Hughes", "Kaur", "Lewis-Grant", "Rahimi", "Mensah", "Doyle",
    "Walker", "Haile", "Nowak", "Patel", "Fraser", "Yusuf", "Campbell", "Ashworth", "Hussain",
    "Brennan", "Tesfay", "Osei", "Sandhu", "Green", "Moreno",
)

# --- Staff ---------------------------------------------------------------------------------------
STAFF_FIRST = (
    "Aisha", "Ben", "Chloe", "Daniel", "Emma", "Fatima", "Gareth", "Hannah", "Imran", "Jasmine",
    "Kieran", "Laura", "Nadia", "Oliver", "Parveen", "Rachel", "Sanjay", "Tariq", "Uchenna",
    "Vanessa", "Wojciech", "Yasmin", "Zoe", "Adebola", "Bethany", "Callum", "Deborah", "Ewa",
    "Farah", "Gurpreet", "Ifeoma", "Joanne", "Kemi", "Liam", "Marcus", "Nkechi", "Owen",
    "Rukhsana", "Shanice", "Sinead", "Tom", "Amina", "Lwazi", "Mei", "Rosa", "Hamid", "Niall",
    "Agnieszka", "Claire", "Dele", "Kirsty", "Reuben", "Sabrina", "Yusuf",
)
STAFF_LAST = (
    "Ahmed", "Akhtar", "Bailey", "Brown", "Campbell", "Chowdhury", "Clarke", "Daley", "Evans",
    "Francis", "Gill", "Green", "Hussain", "Islam", "Jones", "Kaur", "Khan", "Kowalczyk", "Lewis",
    "Mahmood", "McCarthy", "Mistry", "Nwosu", "O'Connor", "Okonkwo", "Patel", "Rahman", "Roberts",
    "Singh", "Smith", "Taylor", "Thomas", "Walsh", "Williams", "Wright", "Adeyemi", "Dlamini",
    "Fernandes", "Ng", "Novak", "Quinn", "Rossi", "Sutherland", "Yilmaz", "Zielinska",
)

# Vietnamese middle names: Văn and Thị are the traditional ones for boys and girls.
VIETNAMESE_MIDDLE = {"M": ("Văn", "Đức", "Quốc", "Hữu", "Thành"), "F": ("Thị", "Ngọc")}

# Where the Home Office placed children before the National Transfer Scheme referral.
NTS_FROM = (
    "Kent's reception and safe care service", "a Home Office hotel in Kent",
    "a Home Office hotel in Hampshire", "Kent County Council's reception centre",
    "a Home Office hotel in Sussex",
)
FIRST_CONTACTS = (
    "came to the council's front door with a community volunteer",
    "was found by police at the motorway services and brought to the duty team",
    "was brought to Harbourside police station by a lorry driver",
)
ASPIRATIONS = (
    "become an electrician", "play football for a proper team", "be a doctor", "learn to drive",
    "become a mechanic", "study computing", "be a barber", "work as a chef", "be a nurse",
    "go to university", "become an interpreter",
)
COLLEGES = ("Harbourside College", "Quayside Sixth Form College", "Harbourside Adult Learning Centre")
SCHOOLS = (
    "Harbourside Academy", "St Anne's Church of England Primary School", "Dockside Primary School",
    "Marina High School", "Harbourside Pupil Referral Unit", "Quayside Community School",
)
GP_PRACTICES = ("Quayside Medical Practice", "Harbour Lane Surgery", "Marina Health Centre")
SOLICITORS = ("Harbourside Law Centre", "Coastal Immigration Solicitors", "Baxter and Osei Solicitors")
HOBBIES = (
    "football", "drawing", "cricket", "cooking", "swimming", "boxing", "music", "the gym",
    "gaming", "running", "dancing",
)
COMFORTS = ("teddy", "blanket", "football", "trainers", "drawings", "books")
