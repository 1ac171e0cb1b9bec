"""Short speeches written for the analyzer's own tests (not part of the labeled corpus)."""

STRONG = (
    "I was eleven the winter our furnace quit on Maple Street. "
    "My mother wrapped us in her coat and sat up all night by the oven door so we would not freeze. "
    "I remember the tick of that oven and the frost on the inside of the window. "
    "When I finished school, I could have moved to Chicago, but I decided to come home and fight for housing that keeps people warm. "
    "That night taught me that nobody should have to choose between heat and rent. "
    "This is a town that has always looked after its own. "
    "In 1978 when the mill closed, our neighbors ran soup kitchens out of church basements for two years. "
    "We are people who do not let a family freeze in the dark. "
    "Right now, 412 homes in this city still have no working heat, and the state grant expires on March 1. "
    "If we wait until next winter, more families will spend it in front of an open oven. "
    "Imagine a January where every child on Maple Street sleeps warm. "
    "I am asking each of you to come to the council meeting this Tuesday at 7 p.m. at City Hall and vote yes on the repair fund."
)

RESUME = (
    "Good evening and thank you all for coming. "
    "I have served as director of public works for twelve years, and before that I chaired the county planning board. "
    "I hold a master's degree in civil engineering and I was appointed to the state infrastructure commission in 2015. "
    "The department budget this year is $48 million, an increase of 3 percent. "
    "Capital spending accounts for 40 percent of the total, and operations for the rest. "
    "Please get involved and stay engaged. "
    "Thank you."
)

SPANISH = (
    "Buenas noches a todos y gracias por venir. Nuestra ciudad ha pasado por momentos muy difíciles, "
    "pero siempre hemos salido adelante juntos. Les pido que vengan el martes a votar por el nuevo parque."
)
