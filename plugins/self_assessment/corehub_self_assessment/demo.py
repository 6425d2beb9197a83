"""Sample reviews for ``corehub demo``: most submitted, honest gaps, a few still open."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from corehub.demo import DemoWriting
from corehub.errors import NotFoundError
from corehub.models import Cycle, QuestionType, ReviewKind
from corehub_self_assessment import reviews
from corehub_self_assessment.answers import applies

if TYPE_CHECKING:
    from corehub import Hub

# What people wrote, in each writer's language (corehub.demo.DemoWriting picks from these).
# Strengths, improvements and examples read right in a self-assessment and in a manager's
# review alike: note style, no "I" and no "you".
STRENGTHS = {
    "en": [
        "Stays calm and friendly with upset customers; several customers thanked them by name.",
        "Thorough diagnosis: escalations arrive with logs, steps tried and the customer's impact.",
        "The go-to person for the new telephony system; helped three colleagues get up to speed.",
        "Clear, plain-language replies; tickets are easy to pick up by anyone on the team.",
        "Reliable at peak times: covered the Black Friday queue without a drop in CSAT.",
        "Writes knowledge articles others actually reuse; the VPN article cut repeat tickets.",
        "Owns tickets to the end: customers rarely have to chase an update.",
        "Quick to spot patterns: flagged the Outlook sync outage before it hit the queue.",
        "Good with non-technical callers: explains without jargon and checks all is well before closing.",
        "Ticket notes always up to date, so handovers between shifts are painless.",
    ],
    "es": [
        "Mucha calma y buen trato con los clientes enfadados; varios lo han agradecido expresamente en la encuesta.",
        "Diagnósticos muy completos: las incidencias escaladas llegan con logs, los pasos ya probados y el impacto para el cliente.",
        "Referente del equipo en la nueva plataforma de telefonía; ha ayudado a tres compañeros a ponerse al día.",
        "Respuestas claras y sin tecnicismos; cualquiera del equipo puede retomar una incidencia sin tener que preguntar.",
        "Fiabilidad en los picos de trabajo: la cola del Black Friday salió adelante sin que bajara el CSAT.",
        "Artículos de la base de conocimiento que el equipo reutiliza de verdad; el de la VPN ha reducido las incidencias repetidas.",
        "Seguimiento de principio a fin: los clientes casi nunca tienen que llamar para preguntar cómo va lo suyo.",
        "Buen ojo para los patrones: el aviso sobre la caída de sincronización de Outlook llegó antes de que se llenara la cola.",
        "Paciencia con los usuarios menos técnicos: explicaciones sin jerga y comprobación de que todo funciona antes de cerrar.",
        "Notas de las incidencias siempre al día, así que los relevos entre turnos son muy sencillos.",
    ],
    "da": [
        "Rolig og venlig, også når kunden er sur; flere kunder har fremhævet det i tilfredshedsmålingen.",
        "Grundig fejlsøgning: eskalerede sager kommer med logfiler, de trin, der allerede er prøvet, og hvad det betyder for kunden.",
        "Teamets go-to-person på det nye telefonsystem; har hjulpet tre kolleger godt i gang.",
        "Klare svar i et almindeligt sprog; alle i teamet kan tage over på en sag uden at skulle spørge.",
        "Stabil i spidsbelastninger: Black Friday-køen blev klaret uden fald i CSAT.",
        "Skriver videnartikler, som andre faktisk bruger; VPN-artiklen har skåret ned på de gentagne henvendelser.",
        "Tager ejerskab hele vejen: kunderne skal sjældent rykke for en opdatering.",
        "God til at se mønstre: opdagede fejlen i Outlook-synkroniseringen, før den ramte køen.",
        "God med brugere, der ikke er tekniske: forklarer uden fagsprog og tjekker, at alt virker, før sagen lukkes.",
        "Sagsnoterne er altid opdaterede, så overleveringen mellem vagterne går glat.",
    ],
    "sv": [
        "Lugn och vänlig även när kunden är upprörd; flera kunder har lyft det i nöjdhetsenkäten.",
        "Grundlig felsökning: eskalerade ärenden kommer med loggar, vad som redan har testats och hur kunden påverkas.",
        "Teamets expert på det nya telefonisystemet; har hjälpt tre kollegor att komma igång.",
        "Tydliga svar utan krångliga facktermer; vem som helst i teamet kan ta över ett ärende utan att behöva fråga.",
        "Pålitlig när det är som mest att göra: Black Friday-kön betades av utan att CSAT sjönk.",
        "Skriver kunskapsartiklar som andra faktiskt använder; VPN-artikeln har minskat antalet återkommande ärenden.",
        "Tar ägarskap hela vägen: kunderna behöver sällan jaga en uppdatering.",
        "Bra på att se mönster: upptäckte felet i Outlook-synkroniseringen innan det slog mot kön.",
        "Bra med användare som inte är tekniska: förklarar utan fackspråk och kollar att allt fungerar innan ärendet stängs.",
        "Ärendeanteckningarna är alltid uppdaterade, så överlämningen mellan passen går smidigt.",
    ],
}
IMPROVEMENTS = {
    "en": [
        "Close the loop with customers after escalations instead of leaving it to second line.",
        "Take more ownership of complaints instead of passing them to the supervisor.",
        "Keep up with procedure changes; twice used the old refund process this half.",
        "Share fixes in the knowledge base, not only in chat.",
        "Ask more clarifying questions before proposing a fix.",
        "Manage time on long calls; handle time is fine, but follow-ups slip.",
        "Escalate sooner when a ticket is stuck instead of struggling alone for days.",
        "Write shorter replies: customers miss the key step in long emails.",
        "Update the ticket status as work moves, so the queue shows the real picture.",
        "Say no to side requests at peak times and keep that time for the queue.",
    ],
    "es": [
        "Cerrar el círculo con el cliente después de escalar, en lugar de dejárselo al segundo nivel.",
        "Asumir más las reclamaciones en vez de pasárselas directamente al supervisor.",
        "Estar al día de los cambios de procedimiento: este semestre se usó dos veces el proceso antiguo de reembolsos.",
        "Documentar las soluciones en la base de conocimiento, no solo en el chat.",
        "Hacer más preguntas para entender bien el problema antes de proponer una solución.",
        "Gestionar mejor el tiempo en las llamadas largas: el tiempo medio está bien, pero los seguimientos se retrasan.",
        "Escalar antes cuando una incidencia se atasca, en vez de pelearse con ella durante días.",
        "Escribir respuestas más breves: en los correos largos el cliente se salta el paso clave.",
        "Actualizar el estado de las incidencias sobre la marcha, para que la cola refleje la realidad.",
        "Decir que no a otros encargos en las horas punta y reservar ese tiempo para la cola.",
    ],
    "da": [
        "Følge op over for kunden efter eskaleringer i stedet for at overlade det til 2. linje.",
        "Tage mere ejerskab over klager i stedet for at sende dem videre til teamlederen.",
        "Holde sig opdateret på procedureændringer; den gamle refusionsproces blev brugt to gange i dette halvår.",
        "Dele løsninger i vidensbasen, ikke kun i chatten.",
        "Stille flere opklarende spørgsmål, før der foreslås en løsning.",
        "Styre tiden bedre på lange opkald; behandlingstiden er fin, men opfølgningerne glider.",
        "Eskalere tidligere, når en sag sidder fast, i stedet for at kæmpe alene med den i dagevis.",
        "Skrive kortere svar: kunderne overser det vigtige trin i lange mails.",
        "Opdatere sagens status løbende, så køen viser det rigtige billede.",
        "Sige nej til sideopgaver i spidsbelastningen og holde tiden fri til køen.",
    ],
    "sv": [
        "Återkoppla till kunden efter eskaleringar i stället för att lämna det till andra linjen.",
        "Ta mer ägarskap för klagomål i stället för att skicka dem vidare till teamledaren.",
        "Hålla sig uppdaterad om rutinändringar; den gamla återbetalningsrutinen användes två gånger i halvåret.",
        "Dela lösningar i kunskapsdatabasen, inte bara i chatten.",
        "Ställa fler förtydligande frågor innan en lösning föreslås.",
        "Planera tiden bättre vid långa samtal; hanteringstiden är bra, men uppföljningarna halkar efter.",
        "Eskalera tidigare när ett ärende har fastnat, i stället för att kämpa på ensam i flera dagar.",
        "Skriva kortare svar: kunderna missar det viktiga steget i långa mejl.",
        "Uppdatera ärendestatus löpande, så att kön visar hur läget faktiskt är.",
        "Säga nej till sidouppdrag när det är högtryck och skydda tiden för kön.",
    ],
}
EXAMPLES = {
    "en": [
        "Ticket 48213: a customer locked out just before a payroll run; access back in twenty minutes and a follow-up call the next day.",
        "The September printer outage: found the faulty driver update and wrote up the workaround for the team.",
        "A complaint about a double charge that started with a furious customer and ended with a thank-you email.",
        "Helped two new hires through their first week on the phones.",
        "Black Friday: ran the chat queue alone for two hours while the rest of the team took the calls.",
        "October CSAT: three comments single out the follow-up calls.",
        "The VPN article, reused in more than forty tickets since August.",
        "Three similar tickets were enough to spot the Outlook sync problem and warn second line before it spread.",
    ],
    "es": [
        "Incidencia 48213: un cliente sin acceso justo antes de la nómina; acceso restablecido en veinte minutos y llamada de seguimiento al día siguiente.",
        "La caída de las impresoras en septiembre: se localizó la actualización de controlador defectuosa y se documentó una solución provisional para el equipo.",
        "Una reclamación por un cargo duplicado que empezó con el cliente muy enfadado y terminó con un correo de agradecimiento.",
        "Acompañamiento a dos incorporaciones durante su primera semana al teléfono.",
        "Black Friday: dos horas llevando en solitario la cola del chat mientras el resto atendía las llamadas.",
        "CSAT de octubre: tres comentarios destacan las llamadas de seguimiento.",
        "El artículo de la VPN, reutilizado en más de cuarenta incidencias desde agosto.",
        "Bastaron tres incidencias parecidas para detectar el problema de sincronización de Outlook y avisar al segundo nivel antes de que se extendiera.",
    ],
    "da": [
        "Sag 48213: en kunde var låst ude lige før lønkørslen; adgangen var genoprettet på tyve minutter, og der blev fulgt op dagen efter.",
        "Printernedbruddet i september: fandt den fejlbehæftede driveropdatering og skrev en midlertidig løsning til teamet.",
        "En klage over en dobbelt opkrævning, der startede med en rasende kunde og endte med en takkemail.",
        "Var med til at lære to nye kolleger op i deres første uge i telefonen.",
        "Black Friday: klarede chatkøen alene i to timer, mens resten af teamet tog telefonerne.",
        "CSAT i oktober: tre kommentarer fremhæver opfølgningsopkaldene.",
        "VPN-artiklen, som er genbrugt i over fyrre sager siden august.",
        "Tre ens sager var nok til at opdage problemet med Outlook-synkroniseringen og advare 2. linje, før det bredte sig.",
    ],
    "sv": [
        "Ärende 48213: en kund var utelåst precis före lönekörningen; åtkomsten var återställd på tjugo minuter, med uppföljning dagen efter.",
        "Skrivarstoppet i september: hittade den felaktiga drivrutinsuppdateringen och skrev ihop en tillfällig lösning för teamet.",
        "Ett klagomål om en dubbeldebitering som började med en rasande kund och slutade med ett tackmejl.",
        "Var med och skolade in två nyanställda under deras första vecka i telefon.",
        "Black Friday: skötte chattkön ensam i två timmar medan resten av teamet tog samtalen.",
        "CSAT i oktober: tre kommentarer lyfter fram uppföljningssamtalen.",
        "VPN-artikeln, som har återanvänts i över fyrtio ärenden sedan augusti.",
        "Tre liknande ärenden räckte för att upptäcka problemet med Outlook-synkroniseringen och varna andra linjen innan det spred sig.",
    ],
}
SUGGESTIONS = {
    "en": [
        "A shared library of reply templates for the ten most common requests, kept current by us.",
        "Fifteen minutes at the start of each shift to go through open incidents and changes.",
        "Give first line read access to the billing system so we stop transferring simple questions.",
        "Rotate who covers the chat queue at lunch so it is not always the same people.",
        "Run the procedure training again when procedures change, not only once a year.",
        "A quiet room for difficult calls; the open floor is loud in the afternoons.",
        "Show the customer's open tickets on the call screen so we stop asking for ticket numbers.",
        "A short monthly meeting with second line about the escalations they send back.",
        "Let us close duplicate tickets in bulk; merging them one by one takes ages.",
    ],
    "es": [
        "Una biblioteca común de plantillas de respuesta para las diez consultas más habituales, que mantengamos nosotros mismos al día.",
        "Quince minutos al principio de cada turno para repasar las incidencias abiertas y los cambios.",
        "Dar al primer nivel acceso de lectura al sistema de facturación para dejar de transferir preguntas sencillas.",
        "Turnarnos para cubrir el chat a la hora de comer, que no les toque siempre a los mismos.",
        "Repetir la formación de procedimientos cada vez que cambian, no solo una vez al año.",
        "Una sala tranquila para las llamadas difíciles; por la tarde hay mucho ruido en la planta.",
        "Ver las incidencias abiertas del cliente en la pantalla de la llamada, para no tener que pedirle el número.",
        "Una reunión breve al mes con el segundo nivel para repasar las escaladas que nos devuelven.",
        "Poder cerrar incidencias duplicadas en bloque; fusionarlas una a una lleva muchísimo tiempo.",
    ],
    "da": [
        "Et fælles bibliotek med svarskabeloner til de ti mest almindelige henvendelser, som vi selv holder opdateret.",
        "Et kvarter i starten af hver vagt til at gennemgå åbne hændelser og ændringer.",
        "Giv 1. linje læseadgang til faktureringssystemet, så vi ikke skal stille simple spørgsmål videre.",
        "Skiftes til at dække chatkøen i frokostpausen, så det ikke altid er de samme.",
        "Gentag procedurekurset, når procedurerne ændres, ikke kun én gang om året.",
        "Et stillerum til svære opkald; der er meget larm i det åbne kontor om eftermiddagen.",
        "Vis kundens åbne sager på opkaldsskærmen, så vi ikke skal spørge efter sagsnummeret.",
        "Et kort månedligt møde med 2. linje om de eskaleringer, de sender tilbage.",
        "Mulighed for at lukke dubletter samlet; at flette dem én ad gangen tager en evighed.",
    ],
    "sv": [
        "Ett gemensamt bibliotek med svarsmallar för de tio vanligaste ärendena, som vi själva håller aktuellt.",
        "En kvart i början av varje pass för att gå igenom öppna incidenter och ändringar.",
        "Ge första linjen läsbehörighet i faktureringssystemet, så att vi slipper koppla vidare enkla frågor.",
        "Turas om att bevaka chatten under lunchen, så att det inte alltid blir samma personer.",
        "Kör rutinutbildningen igen när rutinerna ändras, inte bara en gång om året.",
        "Ett tyst rum för svåra samtal; det är väldigt högljutt i kontorslandskapet på eftermiddagarna.",
        "Visa kundens öppna ärenden i samtalsbilden, så att vi slipper fråga efter ärendenummer.",
        "Ett kort möte i månaden med andra linjen om eskaleringarna de skickar tillbaka.",
        "Kunna stänga dubbletter i klump; att slå ihop dem en och en tar en evighet.",
    ],
}
RESPONSES = {  # a manager answers the suggestions (Spanish: tú, like the rest of corehub)
    "en": [
        "Agreed. We will pilot it in Q1 and review it in the February team meeting.",
        "Good idea, but IT and data protection have to sign it off first; I have asked for a review.",
        "We will try it for a month; if the queue suffers we will rethink it.",
        "Not this year: the budget is committed. It is on the list for next year's plan.",
        "Yes. Could you draft a first version with two colleagues? I will free up time for it.",
        "I have raised it with the other supervisors; we decide at the January planning meeting.",
        "Partly: we will start with one shift and extend it if it works.",
        "Fair point. I will take it to IT and come back to you at our next one-to-one.",
    ],
    "es": [
        "De acuerdo. Lo probaremos en el primer trimestre y lo revisaremos en la reunión de equipo de febrero.",
        "Buena idea, pero antes tienen que darle el visto bueno IT y protección de datos; ya lo he pedido.",
        "Lo probamos durante un mes y, si la cola se resiente, lo replanteamos.",
        "Este año no: el presupuesto ya está comprometido. Queda apuntado para el plan del año que viene.",
        "Sí. ¿Te animas a preparar una primera versión con dos compañeros? Te reservo tiempo para ello.",
        "Lo he planteado al resto de supervisores; lo decidiremos en la reunión de planificación de enero.",
        "En parte: empezaremos con un solo turno y, si funciona, lo ampliamos.",
        "Tienes razón. Lo hablo con IT y te cuento en nuestra próxima reunión individual.",
    ],
    "da": [
        "Enig. Vi afprøver det i første kvartal og evaluerer det på teammødet i februar.",
        "God idé, men IT og databeskyttelse skal godkende det først; jeg har bedt om en vurdering.",
        "Vi prøver det i en måned, og hvis køen lider under det, tager vi det op igen.",
        "Ikke i år: budgettet er brugt. Det står på listen til næste års plan.",
        "Ja. Vil du lave et første udkast sammen med to kolleger? Jeg sørger for, at du får tid til det.",
        "Jeg har taget det op med de andre teamledere; vi beslutter det på planlægningsmødet i januar.",
        "Delvist: vi starter med én vagt og udvider, hvis det virker.",
        "Godt set. Jeg tager det med til IT og vender tilbage ved vores næste 1:1.",
    ],
    "sv": [
        "Håller med. Vi testar det under första kvartalet och utvärderar det på teammötet i februari.",
        "Bra idé, men IT och dataskyddsombudet måste godkänna det först; jag har bett om en bedömning.",
        "Vi provar i en månad, och om kön blir lidande tar vi upp det igen.",
        "Inte i år: budgeten är redan intecknad. Det står på listan till nästa års plan.",
        "Ja. Vill du ta fram ett första utkast tillsammans med två kollegor? Jag ser till att du får tid till det.",
        "Jag har tagit upp det med de andra teamledarna; vi bestämmer oss på planeringsmötet i januari.",
        "Delvis: vi börjar med ett pass och bygger ut om det fungerar.",
        "Bra poäng. Jag tar det med IT och återkommer vid vår nästa avstämning.",
    ],
}
GOALS = {  # (objective, measurable result, due)
    "en": [
        (
            "Raise customer satisfaction on my tickets",
            "CSAT at 4.5 or more over the next half",
            "2027-06-30",
        ),
        ("Resolve more on first contact", "First-contact resolution at 75% or more", "2027-06-30"),
        (
            "Become the team's expert on the new CRM",
            "Pass the CRM certification and run one team session",
            "2027-04-30",
        ),
        (
            "Better knowledge articles",
            "Articles I write reused in 30+ tickets with no corrections",
            "2027-05-31",
        ),
        (
            "Handle complaints end to end",
            "No complaint of mine escalated for lack of follow-up",
            "2027-06-30",
        ),
        (
            "Faster first reply on chat",
            "First reply within 60 seconds on 90% of chats",
            "2027-03-31",
        ),
        ("Fewer reopened tickets", "Reopen rate on my tickets below 5%", "2027-06-30"),
        (
            "Help new colleagues settle in",
            "Buddy for two new hires, both on the phones on their own within three weeks",
            "2027-06-30",
        ),
    ],
    "es": [
        (
            "Subir la satisfacción de los clientes",
            "CSAT de 4,5 o más durante el próximo semestre",
            "2027-06-30",
        ),
        (
            "Resolver más en el primer contacto",
            "Resolución en el primer contacto del 75 % o más",
            "2027-06-30",
        ),
        (
            "Ser la persona de referencia del nuevo CRM",
            "Aprobar la certificación del CRM e impartir una sesión al equipo",
            "2027-04-30",
        ),
        (
            "Mejores artículos de conocimiento",
            "Artículos propios reutilizados en más de 30 incidencias sin correcciones",
            "2027-05-31",
        ),
        (
            "Llevar las reclamaciones de principio a fin",
            "Ninguna reclamación escalada por falta de seguimiento",
            "2027-06-30",
        ),
        (
            "Responder antes en el chat",
            "Primera respuesta en menos de 60 segundos en el 90 % de los chats",
            "2027-03-31",
        ),
        ("Menos incidencias reabiertas", "Tasa de reapertura por debajo del 5 %", "2027-06-30"),
        (
            "Ayudar a los nuevos a arrancar",
            "Acompañar a dos incorporaciones hasta que atiendan el teléfono sin ayuda en tres semanas",
            "2027-06-30",
        ),
    ],
    "da": [
        ("Højere kundetilfredshed", "CSAT på 4,5 eller mere i næste halvår", "2027-06-30"),
        (
            "Løse flere sager ved første kontakt",
            "Løsning ved første kontakt på mindst 75 %",
            "2027-06-30",
        ),
        (
            "Blive teamets ekspert i det nye CRM",
            "Bestå CRM-certificeringen og holde en session for teamet",
            "2027-04-30",
        ),
        ("Bedre videnartikler", "Egne artikler genbrugt i 30+ sager uden rettelser", "2027-05-31"),
        (
            "Håndtere klager hele vejen",
            "Ingen klager eskaleret på grund af manglende opfølgning",
            "2027-06-30",
        ),
        (
            "Hurtigere første svar i chatten",
            "Første svar inden for 60 sekunder i 90 % af chattene",
            "2027-03-31",
        ),
        ("Færre genåbnede sager", "Andelen af genåbnede sager under 5 %", "2027-06-30"),
        (
            "Hjælpe nye kolleger godt i gang",
            "Makker for to nyansatte, som begge tager telefonen på egen hånd inden for tre uger",
            "2027-06-30",
        ),
    ],
    "sv": [
        ("Högre kundnöjdhet", "CSAT på 4,5 eller mer under nästa halvår", "2027-06-30"),
        (
            "Lösa fler ärenden vid första kontakten",
            "Lösningsgrad vid första kontakt på minst 75 %",
            "2027-06-30",
        ),
        (
            "Bli teamets expert på det nya CRM-systemet",
            "Klara CRM-certifieringen och hålla ett pass för teamet",
            "2027-04-30",
        ),
        (
            "Bättre kunskapsartiklar",
            "Egna artiklar återanvända i 30+ ärenden utan rättelser",
            "2027-05-31",
        ),
        (
            "Hantera klagomål hela vägen",
            "Inga klagomål eskalerade på grund av utebliven uppföljning",
            "2027-06-30",
        ),
        (
            "Snabbare första svar i chatten",
            "Första svar inom 60 sekunder i 90 % av chattarna",
            "2027-03-31",
        ),
        ("Färre återöppnade ärenden", "Andelen återöppnade ärenden under 5 %", "2027-06-30"),
        (
            "Hjälpa nya kollegor att komma igång",
            "Fadder för två nyanställda som båda svarar i telefon på egen hand inom tre veckor",
            "2027-06-30",
        ),
    ],
}
COMMENTS = {  # the person's comment on a released review, to their manager
    "en": [
        "Thanks, fair review. I would like support with the CRM certification.",
        "I see the complaint handling point differently: most of those went to billing by procedure.",
        "Agreed on all points. Looking forward to the new goals.",
        "Thanks for the honest feedback; the point about follow-ups is spot on.",
        "Happy with the review. Could we talk about a senior role for the next cycle?",
        "I would like to discuss the workload rating at our next one-to-one.",
        "Good conversation. I will start on the knowledge articles in January.",
        "I do not fully agree on product knowledge: I covered the new portal on my own in October.",
    ],
    "es": [
        "Gracias, me parece una evaluación justa. Me vendría bien tu apoyo con la certificación del CRM.",
        "Lo de las reclamaciones lo veo de otra manera: la mayoría pasaron a facturación porque así lo marca el procedimiento.",
        "De acuerdo en todo. Con ganas de empezar con los nuevos objetivos.",
        "Gracias por la sinceridad; lo de los seguimientos es totalmente cierto.",
        "La evaluación me parece bien. ¿Podemos hablar de un puesto de agente sénior para el próximo ciclo?",
        "Me gustaría comentar la valoración de la carga de trabajo en nuestra próxima reunión individual.",
        "Buena conversación. En enero me pongo con los artículos de la base de conocimiento.",
        "No comparto del todo lo del conocimiento de producto: en octubre me encargué del nuevo portal sin ayuda de nadie.",
    ],
    "da": [
        "Tak, en fair vurdering. Jeg vil gerne have hjælp til CRM-certificeringen.",
        "Jeg ser punktet om klager anderledes: de fleste gik videre til fakturering, fordi proceduren siger det.",
        "Enig i det hele. Jeg glæder mig til de nye mål.",
        "Tak for den ærlige feedback; pointen om opfølgning rammer plet.",
        "Tilfreds med vurderingen. Kan vi tale om en seniorrolle til næste runde?",
        "Jeg vil gerne tale om vurderingen af arbejdsbyrden ved vores næste 1:1.",
        "God samtale. Jeg går i gang med videnartiklerne i januar.",
        "Jeg er ikke helt enig om produktkendskab: jeg tog mig af den nye portal alene i oktober.",
    ],
    "sv": [
        "Tack, en rättvis bedömning. Jag skulle gärna vilja ha stöd med CRM-certifieringen.",
        "Jag ser annorlunda på det om klagomål: de flesta gick till fakturering enligt rutinen.",
        "Håller med om allt. Ser fram emot de nya målen.",
        "Tack för den ärliga återkopplingen; det om uppföljningar stämmer precis.",
        "Nöjd med bedömningen. Kan vi prata om en seniorroll inför nästa omgång?",
        "Jag vill gärna ta upp bedömningen av arbetsbelastningen på vår nästa avstämning.",
        "Bra samtal. Jag sätter igång med kunskapsartiklarna i januari.",
        "Jag håller inte riktigt med om produktkunskapen: jag skötte den nya portalen på egen hand i oktober.",
    ],
}
NOTES = {  # a manager's private note to self
    "en": [
        "Discuss the move to senior agent at the next one-to-one.",
        "Check in on workload.",
        "Ask about interest in the team lead programme.",
        "Follow up on the date of the CRM certification.",
    ],
    "es": [
        "Hablar del paso a agente sénior en la próxima reunión individual.",
        "Revisar cómo va de carga de trabajo.",
        "Preguntar si le interesa el programa de jefes de equipo.",
        "Confirmar la fecha de la certificación del CRM.",
    ],
    "da": [
        "Tal om skiftet til senior supporter ved næste 1:1.",
        "Spørg ind til arbejdsbyrden.",
        "Spørg, om teamlederforløbet kunne have interesse.",
        "Følg op på datoen for CRM-certificeringen.",
    ],
    "sv": [
        "Ta upp steget till senior supportmedarbetare på nästa avstämning.",
        "Stäm av arbetsbelastningen.",
        "Fråga om intresset för teamledarprogrammet.",
        "Följ upp datumet för CRM-certifieringen.",
    ],
}
OVERALL = [
    "exceeded expectations",
    "met expectations",
    "met expectations",
    "partly met expectations",
]


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _points(form: Any, question: Any) -> list[int]:
    """The values of ``question``'s scale, lowest first (1 to 5 when the form names none)."""
    scale = form.scales.get(question.scale) if question.scale else None
    values = sorted(p.value for p in scale.points) if scale is not None and scale.points else []
    return values or [1, 2, 3, 4, 5]


def _on_scale(points: list[int], value: float) -> int:
    """A rating from 1 to 5 placed on a scale of any length: an organization's form with a
    four-point (or ten-point) scale gets demo answers its own checks accept."""
    position = (max(1.0, min(5.0, value)) - 1) / 4 * (len(points) - 1)
    return points[round(position)]


def _answers(
    form: Any,
    kind: ReviewKind,
    rng: random.Random,
    base: float,
    bias: float,
    words: DemoWriting,
    author: str,
    about: str,
) -> dict[str, Any]:
    """Answers to ``form`` by ``author`` about ``about``: numbers from ``rng``, text in the
    author's language from ``words``."""
    answers: dict[str, Any] = {}
    for _, question in form.questions():
        if not applies(question, kind):
            continue
        qtype = QuestionType(question.type)
        if qtype is QuestionType.RATING:
            if rng.random() < 0.04 and question.allow_na:
                answers[question.id] = "n/a"
            else:
                value = _clamp(base + bias + rng.gauss(0, 0.7))
                answers[question.id] = _on_scale(_points(form, question), value)
        elif qtype is QuestionType.CHOICE:
            if question.id == "overall":
                answers[question.id] = OVERALL[min(3, max(0, int(4.6 - base)))]
            elif question.required or rng.random() < 0.6:
                answers[question.id] = rng.choice(question.choices[1:] or question.choices)
        elif qtype is QuestionType.GOALS and not question.review_of:
            picked = words.sample(GOALS, author, 2, about)
            answers[question.id] = [{"objective": o, "result": r, "due": d} for o, r, d in picked]
        elif qtype is QuestionType.TEXT:
            if "suggestion" in question.id:
                pool = RESPONSES if kind is ReviewKind.MANAGER else SUGGESTIONS
            elif question.id == "strengths":
                pool = STRENGTHS
            elif question.id == "improvements":
                pool = IMPROVEMENTS
            elif question.required or rng.random() < 0.5:
                pool = EXAMPLES
            else:
                continue
            answers[question.id] = words.pick(pool, author, about)
    return answers


def fill_demo(hub: Hub, cycle: Cycle) -> None:
    """Submit most reviews with realistic answers; release and acknowledge many; leave a few open."""
    rng = random.Random("self_assessment")
    words = DemoWriting(hub, "self_assessment words")
    later: list[tuple[str, str, str | None, bool]] = []
    with hub.atomic():
        people = {
            s.review.subject_id: s.review
            for s in reviews.stored_reviews(hub, cycle)
            if s.review.kind is ReviewKind.SELF
        }
        for person_id in sorted(people):
            person = hub.people.get(person_id)
            base = rng.uniform(2.6, 4.4)
            new_hire = person.hire_date is not None and person.hire_date > cycle.start
            self_review = people[person_id]
            if not new_hire and rng.random() < 0.9:
                bias = rng.choice([0.0, 0.4, 0.8])
                answers = _answers(
                    self_review.form, ReviewKind.SELF, rng, base, bias, words, person_id, person_id
                )
                reviews.save_draft(hub, cycle, person_id, ReviewKind.SELF, answers, actor=person_id)
                reviews.submit(hub, cycle, person_id, ReviewKind.SELF, actor=person_id)
            try:
                manager_review = reviews.find(hub, cycle, person_id, ReviewKind.MANAGER).review
            except NotFoundError:
                continue
            if new_hire or rng.random() < 0.12:
                continue  # left open: overdue on the demo day
            author = manager_review.author_id or ""
            answers = _answers(
                manager_review.form, ReviewKind.MANAGER, rng, base, 0.0, words, author, person_id
            )
            if rng.random() < 0.35:  # an honest disagreement the packet should show
                rated = [k for k, v in answers.items() if isinstance(v, int)]
                key = rng.choice(rated)
                points = _points(manager_review.form, manager_review.form.question(key))
                answers[key] = points[max(0, points.index(answers[key]) - 2)]
            note = "" if words.rng.random() < 1 / 3 else words.pick(NOTES, author)
            reviews.save_draft(
                hub, cycle, person_id, ReviewKind.MANAGER, answers, private_note=note, actor=author
            )
            reviews.submit(hub, cycle, person_id, ReviewKind.MANAGER, actor=author)
            if rng.random() < 0.8:
                comment = words.pick(COMMENTS, person_id) if rng.random() < 0.3 else None
                later.append((person_id, author, comment, rng.random() < 0.65))
        if cycle.calibrate:
            _calibrate(hub, cycle)
        # released once calibrated; then read, commented on and acknowledged
        for person_id, author, comment, acknowledged in later:
            reviews.release(hub, cycle, person_id, actor=author)
            if comment:
                reviews.comment(hub, cycle, person_id, comment, actor=person_id)
            if acknowledged:
                reviews.acknowledge(hub, cycle, person_id, actor=person_id)


def _calibrate(hub: Hub, cycle: Cycle) -> None:
    """One calibration session over the whole cycle: the most lenient manager's highest
    rating and the strictest manager's lowest are brought in line, each with a reason."""
    from corehub_self_assessment import calibration

    calibration.open_session(hub, cycle, "all")
    data = calibration.view(hub, cycle, "all")
    managers = [m for m in data["managers"] if m["n"] >= 3 and m["mean"] is not None]
    if len(managers) >= 2:
        lenient = max(managers, key=lambda m: m["mean"])
        strict = min(managers, key=lambda m: m["mean"])
        rated = [r for r in data["ratings"] if r["overall"] is not None]
        high = max(
            (r for r in rated if r["manager"] == lenient["manager"]), key=lambda r: r["overall"]
        )
        low = min(
            (r for r in rated if r["manager"] == strict["manager"]), key=lambda r: r["overall"]
        )
        calibration.adjust(
            hub,
            cycle,
            high["person"],
            round(max(1.0, high["overall"] - 0.5), 1),
            reason="In line with the other teams: strong year, but the goals were not all met",
        )
        calibration.adjust(
            hub,
            cycle,
            low["person"],
            round(min(5.0, low["overall"] + 0.5), 1),
            reason="The escalations counted against them were handed over from another team",
        )
    calibration.close_session(hub, cycle, "all")
